import { redisOperation } from '@native-login/session-login';
import Fastify from 'fastify';
import { reportListening } from './child.js';
import { cartOf, sessionKey, storeRedisClient, unauthenticated } from './floor.js';

/**
 * Floor (b): floor (a) plus the Store's two Redis round trips, one after the other as the Store
 * makes them: `GET` of the session record, then `HGETALL` of the cart, for the same session and
 * cart the Store reads (the same keys, from the Store's configuration and key layout, with the
 * Store's client settings). The keys are worked out once, at start-up: no cookie is verified,
 * no id hashed and no record decoded per request.
 */
const redis = await storeRedisClient();
const recordKey = sessionKey(process.env['BENCH_SESSION_ID'] ?? '');
const userId = process.env['BENCH_USER_ID'] ?? '';
const app = Fastify({ logger: { level: 'warn' } });
app.get('/api/cart', async (_request, reply) => {
  if ((await redisOperation(() => redis.get(recordKey))) === null) return reply.code(401).send(unauthenticated);
  return cartOf(redis, userId);
});
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
