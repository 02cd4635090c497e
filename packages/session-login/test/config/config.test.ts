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
    redis: { url: 'redis://127.0.0.1:6379', commandTimeoutMs: 1000 },
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
    message: /REDIS_URL is required when NODE_ENV=production/,
  });
  t.match(loadAppConfig('STORE', { ...valid, NODE_ENV: 'production', REDIS_URL: 'rediss://redis.internal:6380' }), {
    redis: { url: 'rediss://redis.internal:6380' },
  });
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

void t.test('every variable either app reads is documented in .env.example', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const example = await readFile(new URL('../../../../.env.example', import.meta.url), 'utf8');
  for (const prefix of ['STORE', 'FORUM'] as const) {
    for (const name of configVariables(prefix)) t.match(example, new RegExp(`^#? ?${name}=`, 'm'), `${name}`);
  }
});
