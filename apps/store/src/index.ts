export { buildStoreApp } from './app.js';
export { products, currency, type Product } from './catalogue/products.js';
export { maximumQuantity } from './routes/cart-routes.js';
