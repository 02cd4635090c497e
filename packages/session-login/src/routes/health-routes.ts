import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { FusionAuthGateway } from '../fusionauth/gateway.js';

export interface HealthRoutesOptions {
  redis: Redis | undefined;
  gateway: FusionAuthGateway;
}

const check = z.enum(['ok', 'embedded', 'unavailable']);
const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ redis: check, fusionauth: check }),
});

/** `/healthz`: the process answers. `/readyz`: Redis and FusionAuth answer too (503 otherwise). */
export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get('/healthz', { schema: { response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  routes.get('/readyz', { schema: { response: { 200: readiness, 503: readiness } } }, async (_request, reply) => {
    const [redis, fusionauth] = await Promise.all([
      options.redis
        ? options.redis.ping().then(
            () => 'ok' as const,
            () => 'unavailable' as const,
          )
        : Promise.resolve('embedded' as const),
      options.gateway.isReachable().then((reachable) => (reachable ? ('ok' as const) : ('unavailable' as const))),
    ]);
    const ready = redis !== 'unavailable' && fusionauth === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { redis, fusionauth } });
  });
}
