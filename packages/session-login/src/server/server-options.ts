import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '../config/environment.js';
import type { ErrorBody } from '../schemas/errors.js';
import { backendLoggerOptions, requestLogController, type LogDestination } from './logger.js';

/** JSON bodies for an API that takes forms and posts, not uploads. */
const bodyLimit = 64 * 1024;

/** What Node refuses before Fastify sees a request, by its error code. */
const clientErrors: Record<string, { status: number; body: ErrorBody }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    body: { code: 'request_timeout', message: 'The request took too long to arrive.' },
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    body: { code: 'headers_too_large', message: 'The request headers are too large.' },
  },
};
const malformed = { status: 400, body: { code: 'invalid_request', message: 'The request is not valid HTTP.' } };

/**
 * Answers what Node's HTTP parser refuses (a request that took too long, headers too large,
 * malformed HTTP) in the API's error shape rather than Fastify's, then closes the connection. A
 * reset connection has nobody left to answer.
 */
function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = clientErrors[error.code ?? ''] ?? malformed;
  this.log.debug({ err: error, status }, 'client error');
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

/**
 * The Fastify options of one backend, for its `server.ts` (and for tests, which build the app the
 * same way): the logger and the level of its request lines, the body limit, whose word counts for
 * the client's address, request ids, and the API's error shape for what Fastify refuses before
 * any plugin runs.
 */
export function serverOptions(config: AppConfig, log: LogDestination = {}): FastifyHttpOptions<Server> {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = config.http;
  return {
    logger: backendLoggerOptions(config, log),
    logController: requestLogController(config.requestLogLevel),
    bodyLimit,
    // A client that sends its request slowly (a byte a second) holds a connection and memory:
    // the whole request must arrive within requestTimeoutMs, its headers within headersTimeoutMs.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      // How often Node looks for requests past those limits (its default is 30 s, which would let
      // a slow request run well past them).
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
    },
    clientErrorHandler: answerClientError,
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
