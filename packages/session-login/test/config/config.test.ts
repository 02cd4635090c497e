import t from 'tap';
import { ConfigError, configVariables, loadAppConfig } from '../../src/index.js';

const valid = {
  FUSIONAUTH_URL: 'http://127.0.0.1:9011/',
  FUSIONAUTH_API_KEY: 'a-key',
  FUSIONAUTH_TENANT_ID: 'e7fc534c-1957-45b1-af4a-3fe56c4c6e39',
  STORE_APPLICATION_ID: '34d87dd6-bdc6-438b-a3b5-6e1953c993f0',
  STORE_SESSION_SECRET: 'x'.repeat(32),
};

void t.test('defaults fill in everything optional', async (t) => {
  const config = loadAppConfig('STORE', valid);
  t.match(config, {
    prefix: 'STORE',
    displayName: 'Store',
    port: 3000,
    host: '127.0.0.1',
    origin: 'http://localhost:3000',
    trustedProxies: [],
    fusionAuth: { url: 'http://127.0.0.1:9011', publicUrl: 'http://127.0.0.1:9011', apiKey: 'a-key', timeoutMs: 5000 },
    redis: undefined,
    oauth: undefined,
    session: { idleTimeoutMs: 1_800_000, absoluteTimeoutMs: 43_200_000, extendAfterFraction: 0.1 },
    http: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000 },
    shutdown: { drainMs: 5_000, timeoutMs: 10_000 },
    logLevel: 'info',
    requestLogLevel: 'info',
  });
  const forum = loadAppConfig('FORUM', {
    ...valid,
    FORUM_APPLICATION_ID: valid.STORE_APPLICATION_ID,
    FORUM_SESSION_SECRET: valid.STORE_SESSION_SECRET,
    REDIS_URL: 'redis://127.0.0.1:6379',
    TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16',
  });
  t.match(forum, {
    port: 3001,
    origin: 'http://localhost:3001',
    redis: {
      topology: { kind: 'single', url: 'redis://127.0.0.1:6379' },
      tls: false,
      commandTimeoutMs: 1000,
      replication: undefined,
    },
  });
  t.same(forum.trustedProxies, ['10.0.0.1', '192.168.0.0/16']);
});

void t.test('each problem names its variable', async (t) => {
  const failure = (env: Record<string, string | undefined>) => {
    try {
      loadAppConfig('STORE', env);
    } catch (error) {
      t.type(error, ConfigError);
      return (error as Error).message;
    }
    return 'no error';
  };
  t.match(failure({ ...valid, STORE_APPLICATION_ID: 'store' }), 'STORE_APPLICATION_ID must be a UUID');
  t.match(failure({ ...valid, FUSIONAUTH_API_KEY: undefined }), 'FUSIONAUTH_API_KEY is required');
  t.match(failure({ ...valid, STORE_SESSION_SECRET: 'short' }), 'STORE_SESSION_SECRET must be at least 32 characters');
  t.match(failure({ ...valid, REQUEST_LOG_LEVEL: 'verbose' }), 'REQUEST_LOG_LEVEL must be info or debug');
  t.match(failure({ ...valid, FUSIONAUTH_URL: 'ftp://example.com' }), 'FUSIONAUTH_URL must be an http(s) URL');
  t.match(failure({ ...valid, REDIS_URL: 'http://localhost' }), 'REDIS_URL must be a redis:// or rediss:// URL');
  t.match(failure({ ...valid, STORE_PORT: 'eighty' }), 'STORE_PORT must be a port number');
  t.match(failure({ ...valid, SESSION_IDLE_TIMEOUT_SECONDS: '0' }), 'SESSION_IDLE_TIMEOUT_SECONDS must be at least 1');
  t.match(
    failure({ ...valid, SESSION_IDLE_TIMEOUT_SECONDS: '600', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '60' }),
    'SESSION_ABSOLUTE_TIMEOUT_SECONDS must be at least SESSION_IDLE_TIMEOUT_SECONDS',
  );
  const several = failure({ ...valid, STORE_APPLICATION_ID: undefined, FUSIONAUTH_TENANT_ID: 'x' });
  t.match(several, 'STORE_APPLICATION_ID is required');
  t.match(several, 'FUSIONAUTH_TENANT_ID must be a UUID', 'every problem at once');
});

void t.test('production refuses the in-memory store', async (t) => {
  t.throws(() => loadAppConfig('STORE', { ...valid, NODE_ENV: 'production' }), {
    message: /REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production/,
  });
  t.match(loadAppConfig('STORE', { ...valid, NODE_ENV: 'production', REDIS_URL: 'rediss://redis.internal:6380' }), {
    redis: { topology: { kind: 'single', url: 'rediss://redis.internal:6380' }, tls: true },
  });
});

void t.test('Redis topologies: one of a single server, a Cluster or Sentinel, each with its settings', async (t) => {
  const cluster = loadAppConfig('STORE', {
    ...valid,
    REDIS_CLUSTER_NODES: 'redis-1:6379, redis-2:6380,',
    REDIS_USERNAME: 'store',
    REDIS_PASSWORD: 'secret',
    REDIS_TLS: 'true',
  });
  t.same(cluster.redis?.topology, {
    kind: 'cluster',
    nodes: [
      { host: 'redis-1', port: 6379 },
      { host: 'redis-2', port: 6380 },
    ],
  });
  t.match(cluster.redis, { username: 'store', password: 'secret', tls: true, tlsCa: undefined });

  const sentinel = loadAppConfig('STORE', {
    ...valid,
    REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379',
    REDIS_SENTINEL_MASTER_NAME: 'sessions',
    REDIS_SENTINEL_PASSWORD: 'watcher',
    REDIS_SENTINEL_TLS: 'yes',
    REDIS_PASSWORD: 'data',
    REDIS_WAIT_REPLICAS: '1',
  });
  t.same(sentinel.redis?.topology, {
    kind: 'sentinel',
    sentinels: [
      { host: '10.0.0.1', port: 26379 },
      { host: '10.0.0.2', port: 26379 },
    ],
    masterName: 'sessions',
    sentinelUsername: undefined,
    sentinelPassword: 'watcher',
    sentinelTls: true,
  });
  t.match(sentinel.redis, { password: 'data', tls: false, replication: { replicas: 1, timeoutMs: 500 } });

  const refused = (env: Record<string, string>, message: RegExp) =>
    t.throws(() => loadAppConfig('STORE', { ...valid, ...env }), { name: 'ConfigError', message });
  refused(
    { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:6379' },
    /REDIS_URL and REDIS_CLUSTER_NODES are both set: choose one Redis topology/,
  );
  refused({ REDIS_SENTINELS: 'a:26379' }, /REDIS_SENTINEL_MASTER_NAME is required with REDIS_SENTINELS/);
  refused({ REDIS_CLUSTER_NODES: 'redis-1' }, /REDIS_CLUSTER_NODES has redis-1, which is not host:port/);
  refused({ REDIS_CLUSTER_NODES: 'redis-1:70000' }, /REDIS_CLUSTER_NODES.* has a port outside 1–65535/);
  refused({ REDIS_CLUSTER_NODES: ' , ' }, /REDIS_CLUSTER_NODES must list at least one host:port/);
  refused({ REDIS_URL: 'redis://a:6379', REDIS_TLS: 'true' }, /a single server takes a rediss:\/\/ REDIS_URL/);
  refused({ REDIS_TLS: 'maybe', REDIS_URL: 'redis://a:6379' }, /REDIS_TLS must be true or false/);
  refused({ REDIS_PASSWORD: 'secret' }, /REDIS_PASSWORD is set, but no Redis is/);
  refused(
    { REDIS_URL: 'redis://a:6379', REDIS_WAIT_REPLICAS: '1', REDIS_COMMAND_TIMEOUT_MS: '500' },
    /REDIS_WAIT_TIMEOUT_MS must be less than REDIS_COMMAND_TIMEOUT_MS/,
  );
  refused({ REDIS_URL: 'redis://a:6379', REDIS_KEY_PREFIX: 'shop{1}:' }, /REDIS_KEY_PREFIX must not contain \{ or \}/);
  refused(
    { REDIS_URL: 'rediss://a:6379', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' },
    /REDIS_TLS_CA_FILE cannot be used: ENOENT/,
  );
  refused(
    { REDIS_URL: 'rediss://a:6379', REDIS_TLS_CA_FILE: new URL(import.meta.url).pathname },
    /REDIS_TLS_CA_FILE cannot be used: it holds no PEM certificate/,
  );
});

void t.test('HTTP timeouts and the shutdown are configurable, and checked against each other', async (t) => {
  const config = loadAppConfig('STORE', {
    ...valid,
    HTTP_REQUEST_TIMEOUT_MS: '5000',
    HTTP_HEADERS_TIMEOUT_MS: '2000',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '61000',
    SHUTDOWN_DRAIN_SECONDS: '0',
    SHUTDOWN_TIMEOUT_SECONDS: '3',
  });
  t.same(config.http, { requestTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 61_000 });
  t.same(config.shutdown, { drainMs: 0, timeoutMs: 3000 });
  t.throws(
    () => loadAppConfig('STORE', { ...valid, HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' }),
    {
      message: /HTTP_HEADERS_TIMEOUT_MS must be at most HTTP_REQUEST_TIMEOUT_MS/,
    },
  );
});

void t.test('the login flows are read once, the native form by default', async (t) => {
  t.same(loadAppConfig('STORE', valid).loginFlows, ['native']);
  t.same(loadAppConfig('STORE', { ...valid, STORE_LOGIN_FLOWS: ' native , native' }).loginFlows, ['native']);
  t.throws(() => loadAppConfig('STORE', { ...valid, STORE_LOGIN_FLOWS: 'native,magic' }), {
    message: /STORE_LOGIN_FLOWS.* has an unknown flow magic \(known: native, oauth\)/,
  });
  t.throws(() => loadAppConfig('STORE', { ...valid, STORE_LOGIN_FLOWS: '' }), { message: /STORE_LOGIN_FLOWS/ });
});

void t.test('oauth, alone or beside native and in the configured order, needs the client secret', async (t) => {
  const secret = { STORE_CLIENT_SECRET: 'a-client-secret' };
  t.same(loadAppConfig('STORE', { ...valid, ...secret, STORE_LOGIN_FLOWS: 'oauth' }).loginFlows, ['oauth']);
  t.same(loadAppConfig('STORE', { ...valid, ...secret, STORE_LOGIN_FLOWS: 'oauth,native' }).loginFlows, [
    'oauth',
    'native',
  ]);
  t.throws(() => loadAppConfig('STORE', { ...valid, STORE_LOGIN_FLOWS: 'native,oauth' }), {
    name: 'ConfigError',
    message: 'STORE_CLIENT_SECRET is required when STORE_LOGIN_FLOWS offers oauth',
  });
  t.throws(() => loadAppConfig('STORE', { ...valid, STORE_LOGIN_FLOWS: 'oauth', STORE_CLIENT_SECRET: '' }), {
    message: /STORE_CLIENT_SECRET must not be empty/,
  });
  t.equal(loadAppConfig('STORE', { ...valid, ...secret }).oauth, undefined, 'a secret alone offers nothing');
});

void t.test('the OAuth URLs follow from the public origins', async (t) => {
  const config = loadAppConfig('FORUM', {
    ...valid,
    FORUM_APPLICATION_ID: valid.STORE_APPLICATION_ID,
    FORUM_SESSION_SECRET: valid.STORE_SESSION_SECRET,
    FORUM_ORIGIN: 'https://forum.example.com/',
    FORUM_LOGIN_FLOWS: 'native,oauth',
    FORUM_CLIENT_SECRET: 'a-client-secret',
    FUSIONAUTH_URL: 'http://fusionauth:9011',
    FUSIONAUTH_PUBLIC_URL: 'https://auth.example.com/',
  });
  t.same(config.oauth, {
    clientSecret: 'a-client-secret',
    redirectUri: 'https://forum.example.com/api/oauth/callback',
    postLogoutRedirectUri: 'https://forum.example.com/',
  });
  t.match(config.fusionAuth, { url: 'http://fusionauth:9011', publicUrl: 'https://auth.example.com' });
  t.throws(() => loadAppConfig('STORE', { ...valid, FUSIONAUTH_PUBLIC_URL: 'localhost:9011' }), {
    message: /FUSIONAUTH_PUBLIC_URL must be an http\(s\) URL/,
  });
  t.equal(loadAppConfig('STORE', valid).throttle.startsPerIp, 300);
  t.throws(() => loadAppConfig('STORE', { ...valid, LOGIN_STARTS_PER_IP: '0' }), {
    message: /LOGIN_STARTS_PER_IP must be at least 1/,
  });
});

void t.test('account emails are limited per address and per IP, 3 and 30 unless set', async (t) => {
  t.match(loadAppConfig('STORE', valid).throttle, { emailsPerAddress: 3, emailsPerIp: 30 });
  t.match(loadAppConfig('STORE', { ...valid, ACCOUNT_EMAILS_PER_ADDRESS: '5', ACCOUNT_EMAILS_PER_IP: '50' }).throttle, {
    emailsPerAddress: 5,
    emailsPerIp: 50,
  });
  t.throws(() => loadAppConfig('STORE', { ...valid, ACCOUNT_EMAILS_PER_ADDRESS: '0' }), {
    message: /ACCOUNT_EMAILS_PER_ADDRESS must be at least 1/,
  });
});

void t.test('every variable either app reads is documented in .env.example', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const example = await readFile(new URL('../../../../.env.example', import.meta.url), 'utf8');
  for (const prefix of ['STORE', 'FORUM'] as const) {
    for (const name of configVariables(prefix)) t.match(example, new RegExp(`^#? ?${name}=`, 'm'), `${name}`);
  }
});
