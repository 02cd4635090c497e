import { z } from 'zod';
import { loginFlowName, type LoginFlowName } from '../schemas/login.js';
import { redisSettingsFrom, redisVariables, type RedisSettings } from './redis-settings.js';
import { ConfigError, httpUrl, required, uuid, whole } from './variables.js';

export { ConfigError };

/** The two applications this project ships; each reads its own `<PREFIX>_*` variables. */
export type AppPrefix = 'STORE' | 'FORUM';

/**
 * The ways of signing in an app may offer: `native` is the SPA's own form posting to its backend,
 * `oauth` FusionAuth's hosted login page (the authorization code grant).
 */
export const loginFlowNames = loginFlowName.options;
export type { LoginFlowName };

const sharedVariables = redisVariables.extend({
  /** Where this backend reaches FusionAuth (the back channel: APIs, discovery, tokens, keys). */
  FUSIONAUTH_URL: httpUrl(),
  /**
   * Where browsers reach FusionAuth (its hosted login and logout pages), when that differs from
   * FUSIONAUTH_URL: a container network, or `127.0.0.1` beside `localhost`. It is also the issuer
   * the OAuth flow expects, so it must equal the tenant's `issuer` setting. Default: FUSIONAUTH_URL.
   */
  FUSIONAUTH_PUBLIC_URL: httpUrl().optional(),
  FUSIONAUTH_API_KEY: z.string(required('a non-empty string')).min(1, 'must not be empty'),
  FUSIONAUTH_TENANT_ID: uuid(),
  FUSIONAUTH_TIMEOUT_MS: whole(1, 5000),
  /**
   * The HMAC secret FusionAuth signs webhooks with, when they are signed with an HMAC key. Unset:
   * signatures are checked against FusionAuth's published keys (/.well-known/jwks.json).
   */
  FUSIONAUTH_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Webhook events older than this are refused as replays. */
  FUSIONAUTH_WEBHOOK_MAX_AGE_SECONDS: whole(1, 300),
  SESSION_IDLE_TIMEOUT_SECONDS: whole(1, 1800),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: whole(1, 43_200),
  /** How much of the idle timeout may pass before activity extends a session (one write, not one per request). */
  SESSION_EXTEND_AFTER_FRACTION: z.coerce
    .number(required('a number'))
    .gt(0, 'must be more than 0')
    .max(0.5, 'must be at most 0.5 (a session must be extended well before it expires)')
    .default(0.1),
  /** Live sessions one user may hold in this app; a sign-in beyond it ends their oldest (and its refresh token). */
  SESSIONS_PER_USER: whole(1, 50),
  /** Failed sign-in attempts allowed per client IP, and per login id, in each window. */
  LOGIN_ATTEMPTS_PER_IP: whole(1, 30),
  LOGIN_ATTEMPTS_PER_ACCOUNT: whole(1, 5),
  LOGIN_ATTEMPT_WINDOW_SECONDS: whole(1, 900),
  /** Sign-ins one client IP may start at FusionAuth per window (each leaves a ten-minute record in Redis). */
  LOGIN_STARTS_PER_IP: whole(1, 300),
  /**
   * Emails (sign-up, password reset, verification) one address may be sent, and one client IP may
   * ask for, in each LOGIN_ATTEMPT_WINDOW_SECONDS: each request counts, since each sends an email.
   */
  ACCOUNT_EMAILS_PER_ADDRESS: whole(1, 3),
  ACCOUNT_EMAILS_PER_IP: whole(1, 30),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (IPs or CIDRs, comma-separated).
   * Empty: the socket's address and protocol are the client's.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    ),
  /** The most a whole request (headers and body) may take to arrive; past it, 408 and the connection closes. */
  HTTP_REQUEST_TIMEOUT_MS: whole(1, 30_000),
  /** The most a request's headers may take to arrive. */
  HTTP_HEADERS_TIMEOUT_MS: whole(1, 10_000),
  /**
   * How long an idle keep-alive connection stays open: longer than the load balancer's own idle
   * timeout (60 s on most), so that the balancer, not the app, closes it and never reuses a
   * connection the app is closing.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: whole(1, 72_000),
  /**
   * On SIGTERM, how long the app keeps accepting requests while `/readyz` answers 503, for the load
   * balancer to notice and send new requests elsewhere; then it stops accepting and finishes.
   */
  SHUTDOWN_DRAIN_SECONDS: whole(0, 5),
  /** Then, how long requests in flight may take to finish before the process exits all the same. */
  SHUTDOWN_TIMEOUT_SECONDS: whole(1, 10),
  /** The address the metrics listen on: keep it off the public network. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The level of Fastify's two lines per request ("incoming request", "request completed"):
   * `debug` keeps them out of an `info` log, which then shows the app's own events alone.
   */
  REQUEST_LOG_LEVEL: z.enum(['info', 'debug'], { error: () => 'must be info or debug' }).default('info'),
  NODE_ENV: z.string().optional(),
});

function appVariables(prefix: AppPrefix, defaultPort: number) {
  return z.object({
    [`${prefix}_APPLICATION_ID`]: uuid(),
    [`${prefix}_SESSION_SECRET`]: z
      .string(required('a string of at least 32 characters'))
      .min(32, 'must be at least 32 characters (cookie signatures depend on it)'),
    [`${prefix}_PORT`]: z.coerce
      .number(required('a port number'))
      .int('must be a port number')
      .min(0, 'must be a port number')
      .max(65_535, 'must be a port number')
      .default(defaultPort),
    [`${prefix}_ORIGIN`]: httpUrl().optional(),
    /**
     * Where FusionAuth sends this app's webhook events, when it reaches the app by another address
     * than its origin (a private network, an internal proxy). Unset: the origin's webhook route.
     */
    [`${prefix}_WEBHOOK_URL`]: httpUrl().optional(),
    /** How people sign in to this app, comma-separated: `native` (the app's own form), `oauth` (FusionAuth's page). */
    [`${prefix}_LOGIN_FLOWS`]: z
      .string()
      .default('native')
      .transform((value) => value.split(',').map((entry) => entry.trim()))
      .pipe(
        z
          .array(
            z.enum(loginFlowNames, {
              error: (issue) => `has an unknown flow ${String(issue.input)} (known: ${loginFlowNames.join(', ')})`,
            }),
          )
          .min(1, 'must name at least one flow'),
      ),
    /** Where this app serves its Prometheus metrics (`/metrics`), on METRICS_HOST; unset, nowhere. */
    [`${prefix}_METRICS_PORT`]: z.coerce
      .number(required('a port number'))
      .int('must be a port number')
      .min(0, 'must be a port number')
      .max(65_535, 'must be a port number')
      .optional(),
    /** The app's OAuth client secret at FusionAuth (its client id is the application id); needed for `oauth`. */
    [`${prefix}_CLIENT_SECRET`]: z.string().min(1, 'must not be empty').optional(),
  });
}

/**
 * What the `oauth` flow needs besides FusionAuth's address: the client secret, and the URLs
 * FusionAuth sends the browser back to, derived from the app's public origin (each must be listed
 * in the application's `authorizedRedirectURLs`).
 */
export interface OAuthSettings {
  clientSecret: string;
  /** `<origin>/api/oauth/callback`: the `redirect_uri` of every sign-in. */
  redirectUri: string;
  /** `<origin>/`: where FusionAuth's logout comes back to (`post_logout_redirect_uri`). */
  postLogoutRedirectUri: string;
}

/** Everything one backend needs, validated once at start-up. */
export interface AppConfig {
  prefix: AppPrefix;
  /** `Store` or `Forum`: names the app in messages. */
  displayName: string;
  applicationId: string;
  sessionSecret: string;
  host: string;
  port: number;
  trustedProxies: string[];
  /** The public origin: decides the cookie's `Secure` flag and `__Host-` prefix. */
  origin: string;
  /** `url` is the back channel; `publicUrl` is where browsers go, and the issuer the OAuth flow expects. */
  fusionAuth: { url: string; publicUrl: string; apiKey: string; tenantId: string; timeoutMs: number };
  /** `url`: where FusionAuth is expected to send events, when not to the origin. */
  webhooks: { url: string | undefined; hmacSecret: string | undefined; maxAgeMs: number };
  /** Absent: the embedded in-memory store. */
  redis: RedisSettings | undefined;
  /** Namespace of every key this app stores: `store:` or `forum:`, after REDIS_KEY_PREFIX. */
  keyPrefix: string;
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number; extendAfterFraction: number; perUser: number };
  /**
   * Failed sign-ins per IP and per account, sign-ins started at FusionAuth per IP, and account
   * emails asked for per address and per IP, in each window.
   */
  throttle: {
    perIp: number;
    perAccount: number;
    windowMs: number;
    startsPerIp: number;
    emailsPerAddress: number;
    emailsPerIp: number;
  };
  /** How people sign in (read once, at start-up); each flow is a plugin of its own. */
  loginFlows: LoginFlowName[];
  /** Set exactly when the app offers the `oauth` flow. */
  oauth: OAuthSettings | undefined;
  /** Timeouts of the HTTP server (ms). */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number };
  /** The Prometheus endpoint's own listener: none when `port` is undefined. */
  metrics: { port: number | undefined; host: string };
  /** SIGTERM: accept this long while not ready, then finish requests in flight within `timeoutMs`. */
  shutdown: { drainMs: number; timeoutMs: number };
  logLevel: z.infer<typeof sharedVariables>['LOG_LEVEL'];
  /** Where Fastify's request and answer lines go: with the app's events (`info`) or below them (`debug`). */
  requestLogLevel: z.infer<typeof sharedVariables>['REQUEST_LOG_LEVEL'];
}

const defaultPorts: Record<AppPrefix, number> = { STORE: 3000, FORUM: 3001 };
const displayNames: Record<AppPrefix, string> = { STORE: 'Store', FORUM: 'Forum' };

/** Every environment variable one app reads. */
export function configVariables(prefix: AppPrefix): string[] {
  return [...Object.keys(sharedVariables.shape), ...Object.keys(appVariables(prefix, defaultPorts[prefix]).shape)];
}

function describe(error: z.ZodError): string {
  // A list's entries are named by the list's variable, not by their index.
  return error.issues
    .map((issue) => `${issue.path.filter((part) => typeof part !== 'number').join('.')} ${issue.message}`)
    .join('; ');
}

/**
 * Reads one app's configuration from the environment. Every problem is reported at once, each
 * naming its variable (`STORE_APPLICATION_ID must be a UUID`).
 */
export function loadAppConfig(prefix: AppPrefix, env: Readonly<Record<string, string | undefined>>): AppConfig {
  const schema = sharedVariables.extend(appVariables(prefix, defaultPorts[prefix]).shape);
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describe(parsed.error));
  const values = parsed.data as z.infer<typeof sharedVariables> & Record<string, unknown>;
  const port = values[`${prefix}_PORT`] as number;
  const loginFlows = [...new Set(values[`${prefix}_LOGIN_FLOWS`] as LoginFlowName[])];
  const clientSecret = values[`${prefix}_CLIENT_SECRET`] as string | undefined;
  const origin = (values[`${prefix}_ORIGIN`] as string | undefined) ?? `http://localhost:${port}`;

  if (values.SESSION_ABSOLUTE_TIMEOUT_SECONDS < values.SESSION_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigError('SESSION_ABSOLUTE_TIMEOUT_SECONDS must be at least SESSION_IDLE_TIMEOUT_SECONDS');
  }
  if (values.HTTP_HEADERS_TIMEOUT_MS > values.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS must be at most HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  const redis = redisSettingsFrom(values);
  if (values.NODE_ENV === 'production' && redis === undefined) {
    throw new ConfigError(
      'REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production (the in-memory store is for development)',
    );
  }
  if (loginFlows.includes('oauth') && clientSecret === undefined) {
    throw new ConfigError(`${prefix}_CLIENT_SECRET is required when ${prefix}_LOGIN_FLOWS offers oauth`);
  }

  return {
    prefix,
    displayName: displayNames[prefix],
    applicationId: values[`${prefix}_APPLICATION_ID`] as string,
    sessionSecret: values[`${prefix}_SESSION_SECRET`] as string,
    host: values.HOST,
    port,
    trustedProxies: values.TRUSTED_PROXIES,
    origin,
    fusionAuth: {
      url: values.FUSIONAUTH_URL,
      publicUrl: values.FUSIONAUTH_PUBLIC_URL ?? values.FUSIONAUTH_URL,
      apiKey: values.FUSIONAUTH_API_KEY,
      tenantId: values.FUSIONAUTH_TENANT_ID,
      timeoutMs: values.FUSIONAUTH_TIMEOUT_MS,
    },
    webhooks: {
      url: values[`${prefix}_WEBHOOK_URL`] as string | undefined,
      hmacSecret: values.FUSIONAUTH_WEBHOOK_SECRET,
      maxAgeMs: values.FUSIONAUTH_WEBHOOK_MAX_AGE_SECONDS * 1000,
    },
    redis,
    keyPrefix: `${values.REDIS_KEY_PREFIX}${prefix.toLowerCase()}:`,
    session: {
      idleTimeoutMs: values.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
      absoluteTimeoutMs: values.SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000,
      extendAfterFraction: values.SESSION_EXTEND_AFTER_FRACTION,
      perUser: values.SESSIONS_PER_USER,
    },
    throttle: {
      perIp: values.LOGIN_ATTEMPTS_PER_IP,
      perAccount: values.LOGIN_ATTEMPTS_PER_ACCOUNT,
      windowMs: values.LOGIN_ATTEMPT_WINDOW_SECONDS * 1000,
      startsPerIp: values.LOGIN_STARTS_PER_IP,
      emailsPerAddress: values.ACCOUNT_EMAILS_PER_ADDRESS,
      emailsPerIp: values.ACCOUNT_EMAILS_PER_IP,
    },
    loginFlows,
    oauth:
      loginFlows.includes('oauth') && clientSecret !== undefined
        ? { clientSecret, redirectUri: `${origin}/api/oauth/callback`, postLogoutRedirectUri: `${origin}/` }
        : undefined,
    http: {
      requestTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: values.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: values.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    metrics: { port: values[`${prefix}_METRICS_PORT`] as number | undefined, host: values.METRICS_HOST },
    shutdown: { drainMs: values.SHUTDOWN_DRAIN_SECONDS * 1000, timeoutMs: values.SHUTDOWN_TIMEOUT_SECONDS * 1000 },
    logLevel: values.LOG_LEVEL,
    requestLogLevel: values.REQUEST_LOG_LEVEL,
  };
}
