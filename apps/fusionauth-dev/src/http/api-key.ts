import type { FastifyInstance } from 'fastify';
import type { ApiKeyRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { unauthorized } from './api-error.js';

/**
 * How a route treats the API key in `Authorization` (raw, no scheme, as FusionAuth expects):
 * `required` for the admin APIs, `optional` where FusionAuth lets configuration decide (login),
 * `none` where FusionAuth never asks for one (logout, two-factor login, status).
 */
export type ApiKeyRequirement = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    apiKey?: ApiKeyRequirement;
  }
  interface FastifyRequest {
    apiKey: ApiKeyRecord | undefined;
  }
}

export function authenticateApiKeys(app: FastifyInstance, store: StandInStore): void {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
    const requirement = request.routeOptions.config.apiKey ?? 'required';
    if (requirement === 'none') return;
    const presented = request.headers.authorization;
    if (presented === undefined || presented === '') {
      if (requirement === 'required') throw unauthorized();
      return;
    }
    // A key that is present but unknown is refused even where none is needed, as FusionAuth does.
    const key = store.apiKeys.get(presented);
    if (!key) throw unauthorized();
    request.apiKey = key;
  });
}
