import { FusionAuthGateway, loadAppConfig } from '@native-login/session-login';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { reportListening } from './child.js';

/**
 * The floor under the Store's sign-in: the Store's own FusionAuth call (the same gateway and
 * transport) behind a bare Fastify route. With BENCH_PREFIX it also makes the two Redis round trips
 * a sign-in cannot do without: reading the attempt limits before FusionAuth is asked, and writing a
 * session-sized record before answering. Nothing else: no session plugin, throttle or cookie.
 */
const config = loadAppConfig('STORE', process.env);
const gateway = new FusionAuthGateway({ ...config.fusionAuth, applicationId: config.applicationId });
const prefix = process.env['BENCH_PREFIX'];
const redis = prefix ? new Redis(process.env['REDIS_URL'] ?? '', { enableAutoPipelining: true }) : undefined;
const sessionSizedRecord = 'x'.repeat(236);

const app = Fastify({ logger: { level: 'warn' } });
app.post<{ Body: { loginId: string; password: string } }>('/api/login', async (request, reply) => {
  const { loginId, password } = request.body;
  await redis?.get(`${prefix}floor:limit`);
  const outcome = await gateway.login(loginId, password, {
    ipAddress: request.ip,
    userAgent: request.headers['user-agent'],
  });
  if (outcome.kind !== 'authenticated') return reply.code(401).send({ code: outcome.kind });
  await redis?.set(`${prefix}floor:session`, sessionSizedRecord, 'PX', 60_000);
  return { user: outcome.user };
});
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
