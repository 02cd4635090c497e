export { buildStoreApp } from './app.js';
export { products, currency, type Product } from './catalogue/products.js';
export { maximumQuantity } from './routes/cart-routes.js';
export { viewCart, type CartView } from './cart/cart-view.js';
export { cartLinesFrom } from './cart/cart-repository.js';
