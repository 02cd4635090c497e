import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const check = z.enum(['ok', 'embedded', 'unavailable']);
const readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ redis: check, fusionauth: check }),
  })
  .meta({ id: 'Readiness' });

/**
 * `/healthz`: the process answers. `/readyz`: Redis and FusionAuth answer too (503 otherwise).
 * Outside the session scope: they answer whatever state Redis is in.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { storage, fusionAuth } = app;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['Health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  routes.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: Redis and FusionAuth answer',
        tags: ['Health'],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const [redis, fusionauth] = await Promise.all([
        storage.redis
          ? storage.redis.ping().then(
              () => 'ok' as const,
              () => 'unavailable' as const,
            )
          : Promise.resolve('embedded' as const),
        fusionAuth.isReachable().then((reachable) => (reachable ? ('ok' as const) : ('unavailable' as const))),
      ]);
      const ready = redis !== 'unavailable' && fusionauth === 'ok';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { redis, fusionauth } });
    },
  );
}
