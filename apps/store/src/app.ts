import { fileURLToPath } from 'node:url';
import { createBackend, type BackendOptions } from '@native-login/session-login';
import { MemoryCartRepository, RedisCartRepository } from './cart/cart-repository.js';
import { cartRoutes } from './routes/cart-routes.js';
import { productRoutes } from './routes/product-routes.js';

/** Where `npm run build` puts the Store SPA (the same folder from src/ and from dist/). */
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

/** The Store backend: the shared login and sessions, the SPA, the public catalogue, and the guarded cart. */
export function buildStoreApp(options: BackendOptions) {
  return createBackend(
    { webRoot, ...options },
    {
      publicRoutes: async (scope) => {
        await scope.register(productRoutes);
      },
      sessionRoutes: async (scope, { redis, keyPrefix }) => {
        const carts = redis ? new RedisCartRepository(redis, keyPrefix) : new MemoryCartRepository();
        await scope.register(cartRoutes, { carts });
      },
    },
  );
}
