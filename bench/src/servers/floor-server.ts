import Fastify from 'fastify';
import { reportListening } from './child.js';
import { cartOf, signedInSession, storeRedisClient, unauthenticated } from './floor.js';

/**
 * Floor (d), the floor: floor (c) plus the response headers the Store sends on `GET /api/cart`.
 * The benchmark reads them from the running Store once (BENCH_RESPONSE_HEADERS) and this server
 * replays them, all but the session's two clocks, which it works out per request as the Store does
 * (`X-Session-Expires-In`, `X-Session-Ends-In`). What the Store does beyond this floor is the
 * price of its framework: @fastify/session, the plugins' hooks, Zod's serialisation.
 */
const headers = JSON.parse(process.env['BENCH_RESPONSE_HEADERS'] ?? '{}') as Record<string, string>;
const redis = await storeRedisClient();
const app = Fastify({ logger: { level: 'warn' } });
app.get('/api/cart', async (request, reply) => {
  const session = await signedInSession(redis, request.headers.cookie);
  if (!session) return reply.code(401).send(unauthenticated);
  const cart = await cartOf(redis, session.user.id);
  const now = Date.now();
  reply.headers(headers);
  reply.header('x-session-expires-in', String(Math.max(0, session.expiresAt - now)));
  reply.header('x-session-ends-in', String(Math.max(0, (session.absoluteExpiresAt ?? 0) - now)));
  return cart;
});
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
