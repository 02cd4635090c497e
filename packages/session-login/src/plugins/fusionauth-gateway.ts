import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { FusionAuthGateway } from '../fusionauth/gateway.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What this backend asks of FusionAuth, on behalf of its own application. */
    fusionAuth: FusionAuthGateway;
  }
}

/** The FusionAuth gateway of this app, its pooled connections closed with the app. */
async function fusionAuthGateway(app: FastifyInstance): Promise<void> {
  const { fusionAuth, applicationId } = app.config;
  const calls = app.metrics.fusionAuthCalls;
  const gateway = new FusionAuthGateway({ ...fusionAuth, applicationId }, ({ operation, outcome, seconds }) =>
    calls.observe({ operation, outcome }, seconds),
  );
  app.decorate('fusionAuth', gateway);
  app.addHook('onClose', () => gateway.close());
}

export default fp(fusionAuthGateway, {
  name: 'fusionauth-gateway',
  fastify: '5.x',
  dependencies: ['app-config', 'metrics'],
});
