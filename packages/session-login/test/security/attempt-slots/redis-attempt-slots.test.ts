import { once } from 'node:events';
import { useRedis } from '@native-login/test-support';
import t from 'tap';
import { redisSettingsFrom, redisVariables } from '../../../src/config/redis-settings.js';
import type { AttemptSlotPair } from '../../../src/security/attempt-slots/attempt-slots.js';
import { attemptSlotsNamespace, RedisAttemptSlots } from '../../../src/security/attempt-slots/redis-attempt-slots.js';
import { createRedisClient } from '../../../src/storage/redis-topologies.js';

const redis = await useRedis(t);
const attemptTimeoutMs = 45_000;
const namespace = attemptSlotsNamespace(redis.keyPrefix);
const slots = new RedisAttemptSlots(redis.client, namespace, attemptTimeoutMs);
const count = async (key: string) => Number((await redis.client.get(`${namespace}${key}`)) ?? 0);
const attemptOf = (account: string, ip = '192.0.2.1'): AttemptSlotPair => [
  { key: `account:${account}`, allowed: 1 },
  { key: `ip:${ip}`, allowed: 5 },
];
const keysOf = ([account, ip]: AttemptSlotPair) => [account.key, ip.key] as const;

void t.test('slots are taken all or none, and given back', async (t) => {
  const attempt = attemptOf('sam');
  t.equal(await slots.take(attempt), true);
  t.equal(await slots.take(attempt), false, 'the account has its one attempt under way');
  t.equal(await count('ip:192.0.2.1'), 1, 'a refused take holds nothing');
  await slots.give(keysOf(attempt));
  t.equal(await slots.take(attempt), true, 'given back, taken again');
  await slots.give(keysOf(attempt));
  t.equal(await count('ip:192.0.2.1'), 0);
});

void t.test('a slot outlives the longest call to FusionAuth', async (t) => {
  const attempt = attemptOf('lee', '192.0.2.2');
  t.equal(await slots.take(attempt), true);
  for (const key of keysOf(attempt)) {
    const ttl = await redis.client.pttl(`${namespace}${key}`);
    t.ok(
      ttl > attemptTimeoutMs + 29_000 && ttl <= attemptTimeoutMs + 30_000,
      `${key} lapses after ${ttl} ms: the ${attemptTimeoutMs} ms call timeout and 30 s to spare, only after a crash`,
    );
  }
  await slots.give(keysOf(attempt));
});

void t.test('regression: giving back a slot that lapsed does not hand out a spare one', async (t) => {
  const attempt = attemptOf('kim', '192.0.2.3');
  t.equal(await slots.take(attempt), true);
  await redis.client.del(`${namespace}account:kim`);
  await slots.give(keysOf(attempt));
  t.equal(await count('account:kim'), 0, 'never below zero');
  t.equal(await slots.take(attempt), true);
  t.equal(await slots.take(attempt), false, 'still one attempt at a time');
});

void t.test(
  "regression: the first attempts on the app's client share its automatic pipeline with other commands",
  async (t) => {
    // The app's own client pipelines the commands of one tick. A script defined once such a pipeline
    // was open was missing from it, and the commands queued beside it were handed each other's answers.
    const settings = redisSettingsFrom(redisVariables.parse(redis.environment));
    if (!settings) throw new Error('the test Redis names no server');
    const client = createRedisClient(settings, { warn: () => undefined });
    t.teardown(() => client.disconnect());
    await once(client, 'ready');
    const fresh = new RedisAttemptSlots(client, namespace, attemptTimeoutMs);
    const [before, taken, after] = await Promise.all([
      client.get(`${namespace}account:ada`),
      fresh.take(attemptOf('ada', '192.0.2.4')),
      client.get(`${namespace}account:ada`),
    ]);
    t.same([before, taken, after], [null, true, '1'], 'each command has its own answer, in order');
    t.equal(await count('account:ada'), 1);
    await fresh.give(keysOf(attemptOf('ada', '192.0.2.4')));
  },
);
