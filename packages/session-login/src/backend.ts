import cookie from '@fastify/cookie';
import fastifyRedis from '@fastify/redis';
import rateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { AppConfig } from './config/environment.js';
import { answerErrorsAsJson, answerUnknownRoutes } from './errors/error-handler.js';
import { FusionAuthGateway } from './fusionauth/gateway.js';
import { accountSessionsRoutes } from './routes/account-sessions-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { cookieOptions, cookieSettings } from './session/cookie-settings.js';
import { sessionCookieSigner } from './session/cookie-signer.js';
import { recordExpiresAt } from './session/session-data.js';
import { extendIfDue, sessionUser } from './session/session-lifecycle.js';
import { serveSpa } from './web/spa.js';
import { refuseCrossSiteRequests } from './security/csrf.js';
import { forbidCaching, secureHeaders } from './security/headers.js';
import { LoginThrottle } from './security/login-throttle.js';
import { MemoryAttemptSlots, RedisAttemptSlots } from './security/attempt-slots.js';
import { MemorySessionRecords, RedisSessionRecords, type SessionRecords } from './session/session-records.js';
import { sessionStoreFor } from './session/session-store.js';
import { createRedisClient } from './storage/redis-client.js';

export interface BackendOptions {
  config: AppConfig;
  /** Namespace of every Redis key this app writes, when a test wants one of its own (default: config.keyPrefix). */
  keyPrefix?: string;
  /** The session cookie's name; each app has its own unless a test makes two apps share one. */
  cookieName?: string;
  /** Where log lines go (standard output unless a test captures them); the level is LOG_LEVEL. */
  logStream?: NodeJS.WritableStream;
  /** The folder of the app's built SPA (Vite's output), served at `/`. */
  webRoot?: string;
}

/** What the app's own routes need from the backend: its settings, and where to keep data. */
export interface BackendContext {
  config: AppConfig;
  /** Redis, or undefined in the embedded in-memory mode. */
  redis: Redis | undefined;
  keyPrefix: string;
}

type RouteRegistration = (scope: FastifyInstance, backend: BackendContext) => Promise<void>;

export interface AppRoutes {
  /** Routes that need no session; they answer even while the session store is down. */
  publicRoutes?: RouteRegistration;
  /** Routes that read or need a session (guard them with `guardRoutes`). */
  sessionRoutes?: RouteRegistration;
}

declare module 'fastify' {
  interface FastifyInstance {
    backend: BackendContext;
  }
}

/**
 * On shutdown, requests in flight finish, and their connections close with them: a keep-alive
 * connection left open would hold the shutdown until the client let go.
 */
function finishConnectionsOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}

/** JSON bodies for an API that takes forms and posts, not uploads. */
const bodyLimit = 64 * 1024;

/** Never logged: credentials and cookies (pino redaction, applied before a line is written). */
const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.token',
];

/**
 * The backend every app shares, ready for its own routes: JSON-only API with one error shape,
 * Redis (or the embedded store), sessions, the login routes and health checks. Plugins are
 * registered in a visible order: third-party wrappers, then the app's services, then routes.
 */
export async function createBackend(options: BackendOptions, routes: AppRoutes = {}) {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      name: config.displayName.toLowerCase(),
      redact: { paths: redactedPaths, censor: '[redacted]' },
      ...(options.logStream && { stream: options.logStream }),
    },
    bodyLimit,
    // Only listed proxies may speak for the client (its IP, and https for the Secure cookie).
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: () => randomUUID(),
    // A URL Fastify cannot even route (bad percent-encoding) gets the API's error shape too.
    frameworkErrors: (_error, _request, reply) => {
      // The option's reply type is generic over no route; it is an ordinary reply.
      void (reply as FastifyReply)
        .code(400)
        .type('application/json')
        .send(JSON.stringify({ code: 'invalid_request', message: 'The URL is not valid.' }));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  answerErrorsAsJson(app);
  finishConnectionsOnClose(app);
  // Only JSON bodies: Fastify's text/plain parser would let a cross-site form post reach the API.
  app.removeContentTypeParser(['text/plain']);

  const keyPrefix = options.keyPrefix ?? config.keyPrefix;
  const settings = cookieSettings(config.prefix, config.origin);
  const cookieConfig = { ...settings, name: options.cookieName ?? settings.name };
  const tombstoneTtlMs = config.session.absoluteTimeoutMs;

  let redis: Redis | undefined;
  let sessionRecords: SessionRecords;
  if (config.redis) {
    const client = createRedisClient(config.redis.url, config.redis.commandTimeoutMs, app.log);
    redis = client;
    // Waits for Redis at start-up and shares the client as `app.redis` with any plugin that wants it.
    await app.register(fastifyRedis, { client });
    // QUIT waits for an answer a Redis that is down never gives: a shutdown during an outage must not hang.
    app.addHook('onClose', async () => {
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    });
    sessionRecords = new RedisSessionRecords(client, keyPrefix, tombstoneTtlMs);
  } else {
    const memory = new MemorySessionRecords(tombstoneTtlMs);
    app.addHook('onClose', async () => memory.close());
    sessionRecords = memory;
    app.log.warn(
      'REDIS_URL is not set: sessions and data are kept in this process only and are lost on restart. Set REDIS_URL for anything but local development.',
    );
  }

  secureHeaders(app);
  // Global off: only sign-in is limited, through LoginThrottle, which counts failures alone.
  await app.register(rateLimit, {
    global: false,
    skipOnError: false,
    nameSpace: `${keyPrefix}login-limit:`,
    ...(redis && { redis }),
  });
  const slots = redis
    ? new RedisAttemptSlots(redis, `${keyPrefix}login-slots:`, config.fusionAuth.timeoutMs)
    : new MemoryAttemptSlots();
  const throttle = new LoginThrottle(app, config.throttle, slots);

  const backend: BackendContext = { config, redis, keyPrefix };
  app.decorate('backend', backend);
  const gateway = new FusionAuthGateway({ ...config.fusionAuth, applicationId: config.applicationId });
  app.addHook('onClose', () => gateway.close());
  await app.register(cookie);

  // Outside the session scope: health checks, the SPA and public pages answer whatever state Redis is in.
  await app.register(healthRoutes, { redis, gateway });
  const spa = options.webRoot !== undefined && (await serveSpa(app, options.webRoot));
  answerUnknownRoutes(
    app,
    spa ? (_request, reply) => reply.header('cache-control', 'no-store').sendFile('index.html') : undefined,
  );
  if (routes.publicRoutes) await app.register(async (scope) => routes.publicRoutes?.(scope, backend));
  // Server to server: signed by FusionAuth, so outside the browser-facing CSRF and session scope.
  await app.register(webhookRoutes, { config, gateway, records: sessionRecords });

  await app.register(async (api) => {
    // Before the session is loaded: a forged request costs no Redis round trip.
    refuseCrossSiteRequests(api, config);
    forbidCaching(api);
    await api.register(fastifySession, {
      secret: sessionCookieSigner(config.sessionSecret),
      cookieName: cookieConfig.name,
      store: sessionStoreFor(sessionRecords),
      // Nothing is stored for anonymous visitors; a session is written when it changes, not on every response.
      saveUninitialized: false,
      rolling: false,
      cookie: cookieOptions(cookieConfig),
    });
    api.addHook('preHandler', async (request) => extendIfDue(request, config));
    // Tells the SPA how long the session has left, in milliseconds rather than as an instant, so
    // that a browser whose clock is wrong still warns (and signs out) at the right moment.
    api.addHook('onSend', async (request, reply) => {
      const expiresAt = sessionUser(request, config) && recordExpiresAt(request.session);
      if (expiresAt) reply.header('x-session-expires-in', String(Math.max(0, expiresAt - Date.now())));
    });
    await api.register(sessionRoutes, { config, gateway, cookie: cookieConfig, throttle, records: sessionRecords });
    await api.register(accountSessionsRoutes, { config, gateway, cookie: cookieConfig, records: sessionRecords });
    if (routes.sessionRoutes) await api.register(async (scope) => routes.sessionRoutes?.(scope, backend));
  });
  return app;
}

export type Backend = Awaited<ReturnType<typeof createBackend>>;
