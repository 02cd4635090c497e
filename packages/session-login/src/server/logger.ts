import type { FastifyLoggerOptions, FastifyServerOptions } from 'fastify';
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

/** For a person at a terminal: one short line per entry, its time without the date, no pid or host. */
const prettyOptions: PrettyOptions = {
  translateTime: 'HH:MM:ss',
  ignore: 'pid,hostname',
  singleLine: true,
};

/**
 * The `logger` option of one backend: LOG_LEVEL, the app's name on every line, credentials
 * redacted. Lines go to a test's stream as JSON when it passes one; otherwise to standard output,
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
  };
  if (stream) return { ...options, stream };
  if (isTTY) {
    // Resolved from this package, which depends on pino-pretty, rather than from wherever pino is.
    return { ...options, transport: { target: import.meta.resolve('pino-pretty'), options: prettyOptions } };
  }
  return options;
}
