import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '@native-login/session-login';
import { currency, products } from '../catalogue/products.js';
import { catalogue } from '../schemas/products.js';

/** GET /api/products: the public catalogue (no session needed to browse). */
export async function productRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/products',
    {
      schema: {
        summary: 'The catalogue',
        tags: ['Store'],
        response: { 200: catalogue, '4xx': errorBody },
      },
    },
    async () => ({ products: [...products], currency }),
  );
}
