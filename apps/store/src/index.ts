export { default as storeApp, type StoreAppOptions } from './app.js';
export { products, currency } from './catalogue/products.js';
export { viewCart } from './cart/cart-view.js';
export { cartLinesFrom } from './cart/cart-repository.js';
export { cartKey } from './cart/redis-cart-repository.js';
export * from './schemas/index.js';
