import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus metrics (see `metrics`), served on its METRICS_PORT when that is set. */
    metrics: Metrics;
  }
}

export interface Metrics {
  registry: Registry;
  /** Sign-ins by flow and outcome (`succeeded`, or the refusal's reason); never by user. */
  signIns: Counter<'flow' | 'outcome'>;
  /**
   * The sign-in card's ways forward (`sign_up`, `reset_email`, `password_reset`,
   * `verification_email`, `email_verification`, `join`) by outcome; never by user or address.
   */
  accountFlows: Counter<'flow' | 'outcome'>;
  /** Sessions started, by how the user signed in. */
  sessionStarts: Counter<'via'>;
  /** Sessions ended, by why: logout, the user ending them, FusionAuth's events, the limit. */
  sessionEnds: Counter<'reason'>;
  /** Calls to FusionAuth, by operation and outcome, and how long they took. */
  fusionAuthCalls: Histogram<'operation' | 'outcome'>;
  /** Errors of the Redis connection, and reconnections. */
  redisErrors: Counter;
  redisReconnects: Counter;
  /** FusionAuth webhook events, by type and what became of them. */
  webhookEvents: Counter<'type' | 'result'>;
  /** Where the metrics are served, once listening. */
  address(): AddressInfo | undefined;
}

/**
 * Prometheus metrics of one app, in a registry of its own (several apps may share a process):
 * requests by route and status with their latency, sign-ins by outcome, session starts and ends by
 * reason, FusionAuth calls, Redis errors and reconnections, webhook events, and the process's own
 * (CPU, memory, event-loop lag). With STORE_METRICS_PORT (or FORUM_METRICS_PORT) set, they are
 * served at `/metrics` on a listener of their own, on METRICS_HOST (127.0.0.1 unless set), from
 * the moment the app is ready: the public port never shows them.
 */
async function metrics(app: FastifyInstance): Promise<void> {
  const { config, storage } = app;
  const registry = new Registry();
  registry.setDefaultLabels({ app: config.prefix.toLowerCase() });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const httpRequests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route, method and status, and how long they took to answer',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  let server: Server | undefined;
  const decorated: Metrics = {
    registry,
    signIns: new Counter({
      name: 'sign_ins_total',
      help: 'Sign-ins by flow and outcome',
      labelNames: ['flow', 'outcome'] as const,
      registers,
    }),
    accountFlows: new Counter({
      name: 'account_flows_total',
      help: 'Sign-ups, password resets, email verifications and joins, by flow and outcome',
      labelNames: ['flow', 'outcome'] as const,
      registers,
    }),
    sessionStarts: new Counter({
      name: 'session_starts_total',
      help: 'Sessions started, by how the user signed in',
      labelNames: ['via'] as const,
      registers,
    }),
    sessionEnds: new Counter({
      name: 'session_ends_total',
      help: 'Sessions ended, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    fusionAuthCalls: new Histogram({
      name: 'fusionauth_request_duration_seconds',
      help: 'Calls to FusionAuth by operation and outcome, and how long they took',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    redisErrors: new Counter({ name: 'redis_errors_total', help: 'Errors of the Redis connection', registers }),
    redisReconnects: new Counter({ name: 'redis_reconnects_total', help: 'Reconnections to Redis', registers }),
    webhookEvents: new Counter({
      name: 'webhook_events_total',
      help: 'FusionAuth webhook events by type and result',
      labelNames: ['type', 'result'] as const,
      registers,
    }),
    address: () => (server?.address() as AddressInfo | null) ?? undefined,
  };
  app.decorate('metrics', decorated);

  // Callback style: it runs on every request, and an async hook costs a promise each time.
  app.addHook('onResponse', (request, reply, done) => {
    httpRequests.observe(
      // The route's pattern, never the URL itself: ids in paths would make a series per id.
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });

  if (storage.redis) {
    storage.redis.on('error', () => decorated.redisErrors.inc());
    storage.redis.on('reconnecting', () => decorated.redisReconnects.inc());
  }

  const { port, host } = config.metrics;
  if (port === undefined) return;
  // Once the app is ready (awaited, unlike onListen): a scrape right after start finds them.
  app.addHook('onReady', async () => {
    server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url !== '/metrics') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"code":"not_found","message":"Metrics are at /metrics."}');
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          app.log.error({ err: error }, 'metrics could not be collected');
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject).listen(port, host, () => resolve());
    });
    app.log.info({ address: decorated.address() }, 'metrics listening');
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
}

export default fp(metrics, { name: 'metrics', fastify: '5.x', dependencies: ['app-config', 'storage'] });
