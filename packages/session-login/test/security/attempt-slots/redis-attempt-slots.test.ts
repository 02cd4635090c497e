import { useRedis } from '@native-login/test-support';
import t from 'tap';
import { attemptSlotsNamespace, RedisAttemptSlots } from '../../../src/security/attempt-slots/redis-attempt-slots.js';

const redis = await useRedis(t);
const attemptTimeoutMs = 45_000;
const namespace = attemptSlotsNamespace(redis.keyPrefix);
const slots = new RedisAttemptSlots(redis.client, namespace, attemptTimeoutMs);
const count = async (key: string) => Number((await redis.client.get(`${namespace}${key}`)) ?? 0);

void t.test('slots are taken all or none, and given back', async (t) => {
  const attempt = [
    { key: 'account:sam', allowed: 1 },
    { key: 'ip:192.0.2.1', allowed: 5 },
  ];
  t.equal(await slots.take(attempt), true);
  t.equal(await slots.take(attempt), false, 'the account has its one attempt under way');
  t.equal(await count('ip:192.0.2.1'), 1, 'a refused take holds nothing');
  await slots.give(attempt.map(({ key }) => key));
  t.equal(await slots.take(attempt), true, 'given back, taken again');
  await slots.give(attempt.map(({ key }) => key));
});

void t.test('a slot outlives the longest call to FusionAuth', async (t) => {
  t.equal(await slots.take([{ key: 'account:lee', allowed: 1 }]), true);
  const ttl = await redis.client.pttl(`${namespace}account:lee`);
  t.ok(
    ttl > attemptTimeoutMs + 29_000 && ttl <= attemptTimeoutMs + 30_000,
    `lapses after ${ttl} ms: the ${attemptTimeoutMs} ms call timeout and 30 s to spare, only after a crash`,
  );
  await slots.give(['account:lee']);
});

void t.test('regression: giving back a slot that lapsed does not hand out a spare one', async (t) => {
  const attempt = [{ key: 'account:kim', allowed: 1 }];
  t.equal(await slots.take(attempt), true);
  await redis.client.del(`${namespace}account:kim`);
  await slots.give(['account:kim']);
  t.equal(await count('account:kim'), 0, 'never below zero');
  t.equal(await slots.take(attempt), true);
  t.equal(await slots.take(attempt), false, 'still one attempt at a time');
});
