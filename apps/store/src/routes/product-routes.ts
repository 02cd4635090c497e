import { errorBody } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currency, products } from '../catalogue/products.js';

export const productSchema = z.object({
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
});

/** GET /api/products: the public catalogue (no session needed to browse). */
export async function productRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/products',
    {
      schema: {
        response: { 200: z.object({ products: z.array(productSchema), currency: z.string() }), '4xx': errorBody },
      },
    },
    async () => ({ products: [...products], currency }),
  );
}
