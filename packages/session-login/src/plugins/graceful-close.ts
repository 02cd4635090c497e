import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, retryHint } from '../errors/api-error.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's way out: draining first (see runServer), then closing. */
    shutdown: Shutdown;
  }
}

export interface Shutdown {
  /** Set once the process is asked to stop: `/readyz` answers 503, and answers close their connections. */
  readonly draining: boolean;
  /** Starts draining: requests are still served, but the load balancer is told to go elsewhere. */
  drain(): void;
}

/**
 * A way out that loses no request. Draining (from SIGTERM, see runServer): requests are still
 * served, `/readyz` answers 503 so the load balancer sends new ones elsewhere, and every answer
 * closes its connection, so that clients holding a keep-alive connection open a new one, through
 * the balancer, to another instance. Closing (after the grace period): the listener stops; requests
 * in flight finish and their connections close with them (a keep-alive connection left open would
 * hold the shutdown until the client let go). A request that still arrives on an open connection is
 * answered 503 in the API's shape, with `Retry-After`, so that a client or load balancer tries
 * another instance. It needs Fastify's own closing answer off (`return503OnClosing: false`, as
 * serverOptions sets it), which would otherwise answer first.
 */
async function gracefulClose(app: FastifyInstance): Promise<void> {
  let draining = false;
  let closing = false;
  const shutdown: Shutdown = {
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
  };
  app.decorate('shutdown', shutdown);
  app.addHook('preClose', async () => {
    draining = true;
    closing = true;
  });
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (_request, _reply, done) => {
    if (closing) done(new ApiError(503, 'shutting_down', `The server is restarting. ${retryHint(1)}`, 1));
    else done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
}

export default fp(gracefulClose, { name: 'graceful-close', fastify: '5.x', dependencies: ['error-answers'] });
