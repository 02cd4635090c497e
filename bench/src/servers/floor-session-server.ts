import Fastify from 'fastify';
import { reportListening } from './child.js';
import { cartOf, signedInSession, storeRedisClient, unauthenticated } from './floor.js';

/**
 * Floor (c): floor (b) with the session check done per request as the Store does it: the signed
 * cookie verified (HMAC-SHA256), the id hashed (SHA-256), the record read and decoded
 * (`JSON.parse`), its application and deadlines checked, and the cart of the user it names read.
 */
const redis = await storeRedisClient();
const app = Fastify({ logger: { level: 'warn' } });
app.get('/api/cart', async (request, reply) => {
  const session = await signedInSession(redis, request.headers.cookie);
  if (!session) return reply.code(401).send(unauthenticated);
  return cartOf(redis, session.user.id);
});
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
