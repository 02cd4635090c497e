import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Browser,
  RedisServer,
  TestRedisCluster,
  TestRedisSentinel,
  createTestCertificates,
} from '@native-login/test-support';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { notesFixture } from '../support/notes-app.js';

// Redis servers of this test's own that speak only TLS and want a password, on every topology,
// with certificates made here by openssl: a CA, and a server certificate for 127.0.0.1 signed by it.
const fixture = await notesFixture(t);
const directory = await mkdtemp(join(tmpdir(), 'redis-tls-'));
const certificates = await createTestCertificates(directory);
const password = 's3cret-for-this-test';
const security = { tls: certificates, password };
const server = await RedisServer.start({ role: 'TLS server', directory, security });
t.teardown(async () => {
  await server.kill();
  await rm(directory, { recursive: true, force: true });
});
const url = `rediss://:${password}@${server.hostPort}`;
const noOtherTopology = { REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined, REDIS_COMMAND_TIMEOUT_MS: '1000' };

/** Signs in and reads behind the session guard: the session was written to and read from `app`'s Redis. */
async function signsIn(t: Test, app: ConstructorParameters<typeof Browser>[0]): Promise<void> {
  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200);
}

void t.test('rediss:// with a password and REDIS_TLS_CA_FILE: sessions live on the TLS Redis', async (t) => {
  const app = await fixture.build({ ...noOtherTopology, REDIS_URL: url, REDIS_TLS_CA_FILE: certificates.caFile });
  await signsIn(t, app);
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  const direct = new Redis(url, { tls: { ca: certificates.ca } });
  t.teardown(() => direct.disconnect());
  t.ok((await direct.keys(`${fixture.redis.keyPrefix}session:*`)).length >= 1, 'the session is in it');
});

void t.test('a certificate no trusted CA signed: the app does not start', async (t) => {
  await t.rejects(fixture.build({ ...noOtherTopology, REDIS_URL: url, REDIS_TLS_CA_FILE: certificates.otherCaFile }), {
    name: 'ConfigError',
    message: /^Redis refused the connection: /,
  });
});

void t.test('the wrong password: the app does not start, and says why', async (t) => {
  await t.rejects(
    fixture.build({
      ...noOtherTopology,
      REDIS_URL: `rediss://:wrong@${server.hostPort}`,
      REDIS_TLS_CA_FILE: certificates.caFile,
    }),
    { name: 'ConfigError', message: /^Redis refused the connection: WRONGPASS/ },
  );
});

/** Builds the app on a secured topology (its variables, besides the data nodes' TLS and password), signs in, and asks /readyz. */
async function servesOn(t: Test, variables: Record<string, string>, redis: Record<string, unknown>): Promise<void> {
  const app = await fixture.build({
    ...noOtherTopology,
    ...variables,
    REDIS_TLS: 'true',
    REDIS_PASSWORD: password,
    REDIS_TLS_CA_FILE: certificates.caFile,
  });
  await signsIn(t, app);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.match(ready.json(), { redis });
}

void t.test('a Cluster on TLS with a password: REDIS_TLS and REDIS_PASSWORD reach every node', async (t) => {
  const cluster = await TestRedisCluster.start(3, security);
  t.teardown(() => cluster.stop());
  await servesOn(t, { REDIS_CLUSTER_NODES: cluster.nodes }, { topology: 'cluster', primaries: 3 });
});

void t.test('Sentinel on TLS: the sentinels and the primary they name are both reached over TLS', async (t) => {
  const sentinel = await TestRedisSentinel.start(3, security);
  t.teardown(() => sentinel.stop());
  const sentinels = { REDIS_SENTINELS: sentinel.addresses, REDIS_SENTINEL_MASTER_NAME: TestRedisSentinel.masterName };
  await servesOn(t, { ...sentinels, REDIS_SENTINEL_TLS: 'true' }, { topology: 'sentinel' });
});

void t.test('Sentinel: sentinels without TLS in front of data nodes on TLS', async (t) => {
  const sentinel = await TestRedisSentinel.start(3, security, { plainSentinels: true });
  t.teardown(() => sentinel.stop());
  const sentinels = { REDIS_SENTINELS: sentinel.addresses, REDIS_SENTINEL_MASTER_NAME: TestRedisSentinel.masterName };
  await servesOn(t, sentinels, { topology: 'sentinel' });
});
