import { fileURLToPath } from 'node:url';
import { sessionLogin, type SessionLoginOptions } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import carts from './plugins/carts.js';
import { cartRoutes } from './routes/cart-routes.js';
import { productRoutes } from './routes/product-routes.js';

/** Where `npm run build` puts the Store SPA (the same folder from src/ and from dist/). */
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

export type StoreAppOptions = Omit<SessionLoginOptions, 'guardedRoutes'>;

/**
 * The Store backend, as a plugin (its server, or a test, registers it with `fp` on a Fastify
 * instance it made): the shared sign-in and sessions, the SPA, the public catalogue, and the cart
 * behind the guard.
 */
export default async function storeApp(app: FastifyInstance, options: StoreAppOptions): Promise<void> {
  await app.register(sessionLogin, {
    webRoot,
    ...options,
    guardedRoutes: async (scope) => {
      await scope.register(carts);
      await scope.register(cartRoutes);
    },
  });
  await app.register(productRoutes);
}
