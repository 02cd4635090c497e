import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { AppConfig } from '../config/environment.js';
import type { ErrorBody } from '../schemas/errors.js';
import { backendLoggerOptions, type LogDestination } from './logger.js';

/** JSON bodies for an API that takes forms and posts, not uploads. */
const bodyLimit = 64 * 1024;

/**
 * The Fastify options of one backend, for its `server.ts` (and for tests, which build the app the
 * same way): the logger, the body limit, whose word counts for the client's address, request ids,
 * and the API's error shape for what Fastify refuses before any plugin runs.
 */
export function serverOptions(config: AppConfig, log: LogDestination = {}): FastifyServerOptions {
  return {
    logger: backendLoggerOptions(config, log),
    bodyLimit,
    // Only listed proxies may speak for the client (its IP, and https for the Secure cookie).
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: () => randomUUID(),
    // Fastify's own closing answer is a fixed body of another shape; the graceful-close plugin
    // answers 503 in the API's shape instead.
    return503OnClosing: false,
    // A URL Fastify cannot even route (bad percent-encoding) gets the API's error shape too.
    frameworkErrors: (_error, _request, reply) => {
      // The option's reply type is generic over no route; it is an ordinary reply.
      const body: ErrorBody = { code: 'invalid_request', message: 'The URL is not valid.' };
      void (reply as FastifyReply).code(400).type('application/json').send(JSON.stringify(body));
    },
  };
}
