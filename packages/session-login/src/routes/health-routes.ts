import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const check = z.enum(['ok', 'embedded', 'unavailable']);
const readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ redis: check, fusionauth: check }),
    redis: z.object({
      topology: z.enum(['single', 'cluster', 'sentinel', 'embedded']),
      problem: z.string().optional().meta({ description: 'Why Redis does not serve, in words for an operator' }),
      primaries: z.number().int().optional().meta({ description: "A Cluster's primaries serving now" }),
    }),
    shuttingDown: z
      .literal(true)
      .optional()
      .meta({ description: 'Set from the moment the process is asked to stop: send new requests elsewhere' }),
  })
  .meta({ id: 'Readiness' });

/**
 * `/healthz`: the process answers. `/readyz`: Redis (as the topology it was configured as) and
 * FusionAuth answer too, and the process is not shutting down (503 otherwise). Outside the
 * session scope: they answer whatever state Redis is in.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { storage, fusionAuth, shutdown } = app;
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
        summary: 'Readiness: Redis and FusionAuth answer, and the process is not shutting down',
        tags: ['Health'],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const [found, fusionauth] = await Promise.all([
        storage.check(),
        fusionAuth.isReachable().then((reachable) => (reachable ? ('ok' as const) : ('unavailable' as const))),
      ]);
      const { status, ...redis } = found;
      const redisCheck = storage.topology === 'embedded' ? 'embedded' : status;
      const shuttingDown = shutdown.draining;
      const ready = redisCheck !== 'unavailable' && fusionauth === 'ok' && !shuttingDown;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { redis: redisCheck, fusionauth },
        redis,
        ...(shuttingDown ? { shuttingDown: true as const } : {}),
      });
    },
  );
}
