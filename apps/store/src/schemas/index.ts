// The Store API's shapes, one zod schema each with its type inferred, shared with the Store SPA
// through the package's `./schemas` export.
export { maximumQuantity } from './limits.js';
export { catalogue, product, type Catalogue, type Product } from './products.js';
export {
  cartLineChange,
  cartLineParams,
  cartView,
  newCartLine,
  quantity,
  sku,
  type CartLineChange,
  type CartView,
  type NewCartLine,
} from './cart.js';
