import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, errorResponses } from '@native-login/session-login';
import { productBySku } from '../catalogue/products.js';
import { viewCart } from '../cart/cart-view.js';
import { cartLineChange, cartLineParams, cartView, maximumQuantity, newCartLine } from '../schemas/index.js';

const responses = { 200: cartView, ...errorResponses };

/**
 * The signed-in user's cart: GET /api/cart and its items. Registered behind the session layer's
 * guard, so every route here needs a Store session and reads its user from `request.user`.
 */
export async function cartRoutes(app: FastifyInstance): Promise<void> {
  const { carts } = app;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/cart',
    { schema: { summary: "The signed-in user's cart", tags: ['Cart'], response: responses } },
    async (request) => viewCart(await carts.lines(request.user.id)),
  );

  routes.post(
    '/api/cart/items',
    { schema: { summary: 'Add a product to the cart', tags: ['Cart'], body: newCartLine, response: responses } },
    async (request) => {
      const { sku: added, quantity: count } = request.body;
      if (!productBySku(added)) throw new ApiError(400, 'unknown_sku', `There is no product ${added}.`);
      const lines = await carts.add(request.user.id, added, count, maximumQuantity);
      if (!lines) {
        throw new ApiError(400, 'quantity_limit', `A cart holds at most ${maximumQuantity} of each product.`);
      }
      return viewCart(lines);
    },
  );

  routes.patch(
    '/api/cart/items/:sku',
    {
      schema: {
        summary: "Change a line's quantity",
        tags: ['Cart'],
        params: cartLineParams,
        body: cartLineChange,
        response: responses,
      },
    },
    async (request) => {
      const lines = await carts.update(request.user.id, request.params.sku, request.body.quantity);
      if (!lines) throw new ApiError(404, 'not_in_cart', `${request.params.sku} is not in the cart.`);
      return viewCart(lines);
    },
  );

  routes.delete(
    '/api/cart/items/:sku',
    { schema: { summary: 'Remove a line', tags: ['Cart'], params: cartLineParams, response: responses } },
    async (request) => viewCart(await carts.remove(request.user.id, request.params.sku)),
  );
}
