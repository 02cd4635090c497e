import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/environment.js';
import { requireUser } from './session-lifecycle.js';

/**
 * Guards every route registered in this encapsulated scope: a request without a live session of
 * *this* application gets 401 `unauthenticated`, whatever else its cookie carries. It runs before
 * body validation, so a visitor learns nothing about a route's schema.
 */
export function guardRoutes(scope: FastifyInstance, config: AppConfig): void {
  scope.addHook('preValidation', async (request) => {
    requireUser(request, config);
  });
}
