import {
  LogController,
  type FastifyLoggerOptions,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { PrettyOptions } from 'pino-pretty';
import type { AppConfig } from '../config/environment.js';

/** Fastify's `logger` option in its object form: Fastify's logger options and pino's. */
export type BackendLoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

type FastifyLoggerStreamDestination = NonNullable<FastifyLoggerOptions['stream']>;

export interface LogDestination {
  /** Where a test captures the log lines, as JSON; unset: standard output. */
  stream?: FastifyLoggerStreamDestination | undefined;
  /** Whether standard output is a terminal, where lines are pretty-printed (default: process.stdout's). */
  isTTY?: boolean | undefined;
}

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
 * Routes whose query string carries secrets: the OAuth callback's has the authorization code and
 * the state. Their URLs are logged without it. The pages of the account emails' links get theirs
 * in the fragment, which never reaches a server; a link typed with `?id=` is kept out all the same.
 */
const secretQueries = ['/api/oauth/callback', '/reset-password', '/verify-email'];

/** The path as the router reads it: decoded (`/%61pi/` is `/api/`), or as it is when it does not decode. */
function routedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A request's URL as the log may show it. */
export function loggableUrl(url: string): string {
  // The router ends the path at `?` or `#`, whichever comes first; so does this.
  const query = url.search(/[?#]/);
  if (query === -1) return url;
  const path = url.slice(0, query);
  return secretQueries.includes(routedPath(path)) ? `${path}?[redacted]` : url;
}

/** Fastify's own request serializer, but for the URL, whose secret queries are left out. */
function serializeRequest(request: FastifyRequest) {
  const version = request.headers['accept-version'];
  return {
    method: request.method,
    url: loggableUrl(request.url),
    version: Array.isArray(version) ? version[0] : version,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** For a person at a terminal: one short line per entry, its time without the date, no pid or host. */
const prettyOptions: PrettyOptions = {
  translateTime: 'HH:MM:ss',
  ignore: 'pid,hostname',
  singleLine: true,
};

/**
 * The `logger` option of one backend: LOG_LEVEL, the app's name on every line, credentials
 * redacted, and the OAuth callback's query (its code and state) left out of request lines. Lines go to a test's stream as JSON when it passes one; otherwise to standard output,
 * pretty-printed by pino-pretty (in pino's worker thread) when it is a terminal, else as JSON lines
 * for whatever collects them. The choice follows the terminal, not NODE_ENV.
 */
export function backendLoggerOptions(
  config: Pick<AppConfig, 'logLevel' | 'displayName'>,
  { stream, isTTY = process.stdout.isTTY === true }: LogDestination = {},
): BackendLoggerOptions {
  const options: BackendLoggerOptions = {
    level: config.logLevel,
    name: config.displayName.toLowerCase(),
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
  if (stream) return { ...options, stream };
  if (isTTY) {
    // Resolved from this package, which depends on pino-pretty, rather than from wherever pino is.
    return { ...options, transport: { target: import.meta.resolve('pino-pretty'), options: prettyOptions } };
  }
  return options;
}

/**
 * Fastify's lines for each request and its answer at debug, so that an info log keeps the app's
 * own events (sign-ins, sign-outs, refusals) readable; a request that fails is still an error.
 */
class DebugRequestLines extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    if (this.isLogDisabled(request)) return;
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Fastify's `logController` option for REQUEST_LOG_LEVEL: unset, Fastify's own (its lines at info). */
export function requestLogController(level: AppConfig['requestLogLevel']): LogController | undefined {
  return level === 'debug' ? new DebugRequestLines() : undefined;
}
