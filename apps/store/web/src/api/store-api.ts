import type { ApiClient } from '@native-login/login-ui';
import type { Product } from '../../../src/catalogue/products.js';
import type { CartView as Cart } from '../../../src/cart/cart-view.js';

export type { Cart, Product };

/** The Store backend's API, typed, over the shared client (401 handling, CSRF header, errors). */
export function storeApi(api: ApiClient) {
  return {
    products: () => api.request<{ products: Product[]; currency: string }>('GET', '/api/products'),
    cart: () => api.request<Cart>('GET', '/api/cart'),
    add: (sku: string, quantity: number) => api.request<Cart>('POST', '/api/cart/items', { sku, quantity }),
    setQuantity: (sku: string, quantity: number) =>
      api.request<Cart>('PATCH', `/api/cart/items/${encodeURIComponent(sku)}`, { quantity }),
    remove: (sku: string) => api.request<Cart>('DELETE', `/api/cart/items/${encodeURIComponent(sku)}`),
  };
}
