import type { ApiClient } from '@native-login/login-ui';
import type { CartLineChange, CartView as Cart, Catalogue, NewCartLine, Product } from '@native-login/store/schemas';

export type { Cart, Product };

/** The Store backend's API, typed, over the shared client (401 handling, CSRF header, errors). */
export function storeApi(api: ApiClient) {
  return {
    products: () => api.request<Catalogue>('GET', '/api/products'),
    cart: () => api.request<Cart>('GET', '/api/cart'),
    add: (sku: string, quantity: number) =>
      api.request<Cart>('POST', '/api/cart/items', { sku, quantity } satisfies NewCartLine),
    setQuantity: (sku: string, quantity: number) =>
      api.request<Cart>('PATCH', `/api/cart/items/${encodeURIComponent(sku)}`, { quantity } satisfies CartLineChange),
    remove: (sku: string) => api.request<Cart>('DELETE', `/api/cart/items/${encodeURIComponent(sku)}`),
  };
}
