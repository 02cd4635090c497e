import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, retryHint } from '../errors/api-error.js';

/**
 * While the server closes, requests in flight finish and their connections close with them (a
 * keep-alive connection left open would hold the shutdown until the client let go). A request
 * that still arrives on an open connection is answered 503 in the API's shape, with `Retry-After`,
 * so that a client or load balancer tries another instance. It needs Fastify's own closing answer
 * off (`return503OnClosing: false`, as serverOptions sets it), which would otherwise answer first.
 */
async function gracefulClose(app: FastifyInstance): Promise<void> {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (_request, _reply, done) => {
    if (closing) done(new ApiError(503, 'shutting_down', `The server is restarting. ${retryHint(1)}`, 1));
    else done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

export default fp(gracefulClose, { name: 'graceful-close', fastify: '5.x', dependencies: ['error-answers'] });
