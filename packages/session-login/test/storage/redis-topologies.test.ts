import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, LogCapture, RedisServer, TestRedisCluster, TestRedisSentinel, ask } from '@native-login/test-support';
import type { LightMyRequestResponse } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { notesFixture } from '../support/notes-app.js';
import { sessionKey } from '../support/redis.js';

// Each topology is started here from the local redis-server, on free ports, whatever topology the
// rest of the run uses.
const fixture = await notesFixture(t);
const ready = (app: { inject: (options: { method: 'GET'; url: string }) => Promise<LightMyRequestResponse> }) =>
  app.inject({ method: 'GET', url: '/readyz' });

void t.test('a single server: /readyz says so', async (t) => {
  const app = await fixture.build({ REDIS_CLUSTER_NODES: undefined, REDIS_URL: 'redis://127.0.0.1:6379' });
  const answer = await ready(app);
  t.equal(answer.statusCode, 200);
  t.same(answer.json(), { status: 'ready', checks: { redis: 'ok', fusionauth: 'ok' }, redis: { topology: 'single' } });
});

void t.test('a Cluster: the app signs in on it, and /readyz answers as a cluster', async (t) => {
  const cluster = await TestRedisCluster.start(3);
  t.teardown(() => cluster.stop());
  const app = await fixture.build({ REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.nodes });
  const answer = await ready(app);
  t.equal(answer.statusCode, 200);
  t.same(answer.json(), {
    status: 'ready',
    checks: { redis: 'ok', fusionauth: 'ok' },
    redis: { topology: 'cluster', primaries: 3 },
  });
  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'a session written and read on the Cluster');
  t.equal((await browser.send('POST', '/api/logout')).statusCode, 204);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 401);
});

void t.test('REDIS_URL naming a Cluster node: the app refuses to start, and says what to set', async (t) => {
  const cluster = await TestRedisCluster.start(3);
  t.teardown(() => cluster.stop());
  const [node] = cluster.servers;
  await t.rejects(fixture.build({ REDIS_CLUSTER_NODES: undefined, REDIS_URL: `redis://${node?.hostPort ?? ''}` }), {
    name: 'ConfigError',
    message:
      'Redis (single) is not usable: the server is a Cluster node: list its nodes in REDIS_CLUSTER_NODES instead',
  });
});

void t.test('REDIS_URL naming a replica: refused, it cannot take writes', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'redis-replica-'));
  const primary = await RedisServer.start({ role: 'primary', directory });
  const replica = await RedisServer.start({
    role: 'replica',
    directory,
    arguments: ['--replicaof', primary.address.host, String(primary.address.port)],
  });
  t.teardown(async () => {
    await Promise.all([primary.kill(), replica.kill()]);
    await rm(directory, { recursive: true, force: true });
  });
  await t.rejects(fixture.build({ REDIS_CLUSTER_NODES: undefined, REDIS_URL: `redis://${replica.hostPort}` }), {
    message: 'Redis (single) is not usable: the server is a replica, which cannot take writes',
  });
});

void t.test('REDIS_CLUSTER_NODES naming a server that is no Cluster: refused at start', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'redis-plain-'));
  const plain = await RedisServer.start({ role: 'plain server', directory });
  t.teardown(async () => {
    await plain.kill();
    await rm(directory, { recursive: true, force: true });
  });
  await t.rejects(fixture.build({ REDIS_URL: undefined, REDIS_CLUSTER_NODES: plain.hostPort }), {
    name: 'ConfigError',
    message: `REDIS_CLUSTER_NODES names ${plain.hostPort}, which is not a Cluster node: use REDIS_URL for a single server`,
  });
});

/**
 * Traffic through a failover that began at `killedAt`, from each browser in turn: every answer is 200
 * or 503 with Retry-After (never a 401: no session was lost), until 200s return.
 */
async function servedThroughTheSwitch(t: Test, browsers: Browser[], killedAt: number): Promise<void> {
  const answers: Array<{ at: number; took: number; status: number; retryAfter: string | undefined }> = [];
  let recovered = false;
  while (Date.now() - killedAt < 30_000) {
    const browser = browsers[answers.length % browsers.length] as Browser;
    const sent = Date.now();
    const answer = await browser.send('GET', '/api/notes');
    answers.push({
      at: Date.now() - killedAt,
      took: Date.now() - sent,
      status: answer.statusCode,
      retryAfter: answer.headers['retry-after'],
    });
    if (answer.statusCode === 200 && answers.filter(({ status }) => status === 503).length > 0) {
      const lastThree = answers.slice(-3);
      if (lastThree.length === 3 && lastThree.every(({ status }) => status === 200)) {
        recovered = true;
        break;
      }
    }
    await sleep(50);
  }
  const unavailable = answers.filter(({ status }) => status === 503);
  t.ok(unavailable.length > 0, `${unavailable.length} requests met the switch`);
  t.ok(
    unavailable.every(({ retryAfter }) => retryAfter === '5'),
    'each answered 503 with Retry-After',
  );
  // The apps here wait 300 ms for a command (REDIS_COMMAND_TIMEOUT_MS); a hang would show here.
  const slowest = Math.max(...unavailable.map(({ took }) => took));
  t.ok(slowest < 1000, `each within about the command timeout: the slowest in ${slowest} ms`);
  t.same(
    answers.filter(({ status }) => status !== 200 && status !== 503),
    [],
    'never a 401 (no session was lost) nor a 500',
  );
  t.ok(recovered, `served again after ${answers.at(-1)?.at ?? '?'} ms, without a restart`);
}

void t.test(
  'Sentinel: the primary dies mid-traffic; 503 with Retry-After during the switch, then the promoted replica serves the same sessions',
  async (t) => {
    const sentinel = await TestRedisSentinel.start(3);
    t.teardown(() => sentinel.stop());
    const log = new LogCapture();
    const app = await fixture.build(
      {
        REDIS_URL: undefined,
        REDIS_CLUSTER_NODES: undefined,
        REDIS_SENTINELS: sentinel.addresses,
        REDIS_SENTINEL_MASTER_NAME: TestRedisSentinel.masterName,
        // A sign-in is answered once the replica holds its session: the failover cannot undo it.
        REDIS_WAIT_REPLICAS: '1',
        REDIS_WAIT_TIMEOUT_MS: '150',
        REDIS_COMMAND_TIMEOUT_MS: '300',
        LOG_LEVEL: 'warn',
      },
      { logStream: log },
    );
    const before = await ready(app);
    t.same(before.json(), {
      status: 'ready',
      checks: { redis: 'ok', fusionauth: 'ok' },
      redis: { topology: 'sentinel' },
    });

    const browsers = [new Browser(app), new Browser(app), new Browser(app)];
    for (const browser of browsers) t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    const keys = browsers.map((browser) => sessionKey(fixture.redis, browser.jar.get('store_session')));
    for (const key of keys) {
      t.equal(
        await ask(sentinel.replica.address, 'EXISTS', key),
        1,
        'each session is on the replica before its sign-in is answered',
      );
    }
    t.notOk(log.all.includes('fewer Redis replicas'), 'no write went unreplicated');

    const primaryBefore = await sentinel.currentPrimary();
    t.same(primaryBefore, sentinel.primary.address);
    await sentinel.primary.kill();
    const killedAt = Date.now();

    await servedThroughTheSwitch(t, browsers, killedAt);
    t.same(await sentinel.currentPrimary(), sentinel.replica.address, 'on the promoted replica');
    for (const browser of browsers) {
      t.equal(
        (await browser.send('GET', '/api/notes')).statusCode,
        200,
        'each session written before the kill is valid',
      );
    }
    const after = await ready(app);
    t.equal(after.statusCode, 200, '/readyz is ready again');

    const newcomer = new Browser(app);
    const signIn = await newcomer.login('shopper@example.com');
    t.equal(signIn.statusCode, 200, 'a new sign-in works');
    t.match(log.all, /fewer Redis replicas than REDIS_WAIT_REPLICAS/, 'with no replica left, the shortfall is logged');
  },
);

void t.test(
  "Cluster: the primary of the user's slot dies mid-traffic; 503 with Retry-After while its replica takes over, then the same sessions are served",
  async (t) => {
    const cluster = await TestRedisCluster.start(3, {}, { replicas: true });
    t.teardown(() => cluster.stop());
    const app = await fixture.build({
      REDIS_URL: undefined,
      REDIS_CLUSTER_NODES: cluster.nodes,
      // A sign-in is answered once the slot's replica holds its session: the failover cannot undo it.
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '150',
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    t.match((await ready(app)).json(), { redis: { topology: 'cluster', primaries: 3 } });
    const browsers = [new Browser(app), new Browser(app), new Browser(app)];
    for (const browser of browsers) t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    // One user's sessions share a hash tag, so one primary holds them all.
    const keys = browsers.map((browser) => sessionKey(fixture.redis, browser.jar.get('store_session')));
    const primary = await cluster.primaryOf(keys[0] ?? '');
    const replica = cluster.replicas[cluster.primaries.indexOf(primary)];
    if (replica === undefined) throw new Error('the primary has no replica');
    // A Cluster replica answers reads of its primary's slots once told READONLY, on that connection.
    const onReplica = new Redis(replica.address);
    t.teardown(() => onReplica.disconnect());
    await onReplica.readonly();
    for (const key of keys) t.equal(await onReplica.exists(key), 1, 'each session is on the replica');

    await primary.kill();
    await servedThroughTheSwitch(t, browsers, Date.now());
    t.match(String(await ask(replica.address, 'ROLE')), /^master/, 'on the promoted replica');
    for (const browser of browsers) {
      t.equal(
        (await browser.send('GET', '/api/notes')).statusCode,
        200,
        'each session written before the kill is valid',
      );
    }
    t.equal((await ready(app)).statusCode, 200, '/readyz is ready again');
    t.equal((await new Browser(app).login('shopper@example.com')).statusCode, 200, 'a new sign-in works');
  },
);
