import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `Cache-Control: no-store` on every answer of the scope it is registered in (the API's): a shared
 * cache must never keep a user's data or a session cookie (helmet sets no Cache-Control).
 */
async function noStore(scope: FastifyInstance): Promise<void> {
  scope.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

export default fp(noStore, { name: 'no-store', fastify: '5.x' });
