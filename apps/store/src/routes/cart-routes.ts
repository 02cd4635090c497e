import { ApiError, errorBody, guardRoutes, requireUser } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { productBySku } from '../catalogue/products.js';
import type { CartRepository } from '../cart/cart-repository.js';
import { viewCart } from '../cart/cart-view.js';

export interface CartRoutesOptions {
  carts: CartRepository;
}

/** No line holds more than this: a quantity beyond it is a typo or an attack, not an order. */
export const maximumQuantity = 99;

const sku = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a product sku');
const quantity = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(maximumQuantity, `must be at most ${maximumQuantity}`);

const cartSchema = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
      lineTotalCents: z.number().int(),
    }),
  ),
  itemCount: z.number().int(),
  totalCents: z.number().int(),
  currency: z.string(),
});

const responses = { response: { 200: cartSchema, '4xx': errorBody, '5xx': errorBody } };

/** The signed-in user's cart: GET /api/cart and its items. Every route here needs a Store session. */
export async function cartRoutes(app: FastifyInstance, { carts }: CartRoutesOptions): Promise<void> {
  const { config } = app.backend;
  guardRoutes(app, config);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/api/cart', { schema: responses }, async (request) => {
    const user = requireUser(request, config);
    return viewCart(await carts.lines(user.id));
  });

  routes.post('/api/cart/items', { schema: { body: z.object({ sku, quantity }), ...responses } }, async (request) => {
    const user = requireUser(request, config);
    const { sku: added, quantity: count } = request.body;
    if (!productBySku(added)) throw new ApiError(400, 'unknown_sku', `There is no product ${added}.`);
    const lines = await carts.add(user.id, added, count, maximumQuantity);
    if (!lines) {
      throw new ApiError(400, 'quantity_limit', `A cart holds at most ${maximumQuantity} of each product.`);
    }
    return viewCart(lines);
  });

  routes.patch(
    '/api/cart/items/:sku',
    { schema: { params: z.object({ sku }), body: z.object({ quantity }), ...responses } },
    async (request) => {
      const user = requireUser(request, config);
      const lines = await carts.update(user.id, request.params.sku, request.body.quantity);
      if (!lines) throw new ApiError(404, 'not_in_cart', `${request.params.sku} is not in the cart.`);
      return viewCart(lines);
    },
  );

  routes.delete('/api/cart/items/:sku', { schema: { params: z.object({ sku }), ...responses } }, async (request) => {
    const user = requireUser(request, config);
    return viewCart(await carts.remove(user.id, request.params.sku));
  });
}
