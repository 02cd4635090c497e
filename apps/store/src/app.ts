import { createBackend, type BackendOptions } from '@native-login/session-login';
import { MemoryCartRepository, RedisCartRepository } from './cart/cart-repository.js';
import { cartRoutes } from './routes/cart-routes.js';
import { productRoutes } from './routes/product-routes.js';

/** The Store backend: the shared login and sessions, the public catalogue, and the guarded cart. */
export async function buildStoreApp(options: BackendOptions) {
  const app = await createBackend(options);
  const { redis, keyPrefix } = app.backend;
  const carts = redis ? new RedisCartRepository(redis, keyPrefix) : new MemoryCartRepository();
  await app.register(productRoutes);
  await app.register(cartRoutes, { carts });
  return app;
}
