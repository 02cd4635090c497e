import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from 'fastify';
import { Redis } from 'ioredis';
import { useRedis } from '@native-login/test-support';
import type { Test } from 'tap';
import t from 'tap';
import {
  hashSessionId,
  MemorySessionRecords,
  RedisSessionRecords,
  SessionStoreUnavailableError,
  sessionStoreFor,
  type SessionRecords,
  type StoredSession,
} from '../src/index.js';

const redis = await useRedis(t);

const user = { id: 'user-1', email: 'sam@example.com', roles: ['customer'] };
const signedIn = (idleMs: number, absoluteMs = 60_000): StoredSession => {
  const now = Date.now();
  return {
    applicationId: 'app',
    user,
    createdAt: now,
    idleExpiresAt: now + idleMs,
    absoluteExpiresAt: now + absoluteMs,
    device: { ip: '192.0.2.1', description: 'Firefox 140 on Linux' },
  };
};

const promised = {
  get: (store: ReturnType<typeof sessionStoreFor>, id: string) =>
    new Promise<Session | null | undefined>((resolve, reject) =>
      store.get(id, (error, session) => (error ? reject(error) : resolve(session))),
    ),
  set: (store: ReturnType<typeof sessionStoreFor>, id: string, session: StoredSession) =>
    new Promise<void>((resolve, reject) =>
      store.set(id, session as Session, (error?: unknown) => (error ? reject(error) : resolve())),
    ),
  destroy: (store: ReturnType<typeof sessionStoreFor>, id: string) =>
    new Promise<void>((resolve, reject) => store.destroy(id, (error?: unknown) => (error ? reject(error) : resolve()))),
};

/** One suite, run against Redis and against the embedded store: they must behave alike. */
function storeSuite(name: string, make: (t: Test) => SessionRecords) {
  t.test(name, async (t) => {
    t.test('write, read, overwrite, remove', async (t) => {
      const records = make(t);
      const record = signedIn(10_000);
      await records.write('id-1', record, Date.now() + 10_000);
      t.same(await records.read('id-1'), record);
      t.equal(await records.read('id-2'), undefined);
      await records.write('id-1', { ...record, refreshTokenId: 'rt' }, Date.now() + 10_000);
      t.equal((await records.read('id-1'))?.refreshTokenId, 'rt');
      await records.end('id-1');
      t.equal(await records.read('id-1'), undefined);
    });

    t.test('regression: a request that finishes after logout cannot write the session back', async (t) => {
      const records = make(t);
      const store = sessionStoreFor(records);
      // A slow request loaded the session, the user logged out, then the slow request saves it.
      await promised.set(store, 'slow', signedIn(10_000));
      const loadedBySlowRequest = await promised.get(store, 'slow');
      await promised.destroy(store, 'slow');
      await promised.set(store, 'slow', loadedBySlowRequest as StoredSession);
      t.equal(await promised.get(store, 'slow'), null, 'the ended session stays ended');
      t.equal(await records.write('slow', signedIn(10_000), Date.now() + 10_000), false);
      t.equal(
        await records.write('other', signedIn(10_000), Date.now() + 10_000),
        true,
        'other sessions are unaffected',
      );
    });

    t.test('a record is gone once its deadline passes', async (t) => {
      const records = make(t);
      await records.write('short', signedIn(1_000), Date.now() + 1_000);
      t.ok(await records.read('short'));
      await sleep(1_200);
      t.equal(await records.read('short'), undefined);
    });

    t.test('the store adapter: expired records are absent, empty sessions are not stored', async (t) => {
      const records = make(t);
      const store = sessionStoreFor(records);
      await promised.set(store, 'live', signedIn(10_000));
      t.match(await promised.get(store, 'live'), { user });

      // Written with a generous TTL but an idle deadline already past: the deadline wins.
      const stale = { ...signedIn(10_000), idleExpiresAt: Date.now() - 1 };
      await records.write('stale', stale, Date.now() + 10_000);
      t.equal(await promised.get(store, 'stale'), null);

      await promised.set(store, 'anonymous', {} as StoredSession);
      t.equal(await records.read('anonymous'), undefined, 'nothing is kept for a session without a user');

      await promised.destroy(store, 'live');
      t.equal(await promised.get(store, 'live'), null);
    });
  });
}

storeSuite('Redis records', () => new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000));
storeSuite('in-memory records', (t) => {
  const records = new MemorySessionRecords(60_000);
  t.teardown(() => records.close());
  return records;
});

t.test('Redis keys are hashes of the session id, with a TTL that matches the deadline', async (t) => {
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  const sessionId = 'a-session-id-that-must-not-appear-in-redis';
  await records.write(sessionId, signedIn(30_000), Date.now() + 30_000);
  const key = `${redis.keyPrefix}session:${hashSessionId(sessionId)}`;
  t.equal(records.key(sessionId), key);
  t.equal(await redis.client.exists(key), 1);
  const keys = await redis.client.keys(`${redis.keyPrefix}*`);
  t.notOk(
    keys.some((candidate) => candidate.includes(sessionId)),
    'the id is in no key',
  );
  t.notOk((await redis.client.get(key))?.includes(sessionId), 'nor in the value');
  const ttl = await redis.client.pttl(key);
  t.ok(ttl > 29_000 && ttl <= 30_000, `TTL ${ttl} ms matches the 30 s deadline`);
});

t.test('a Redis that does not answer makes the adapter report the store unavailable', async (t) => {
  const dead = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  dead.on('error', () => undefined);
  t.teardown(() => dead.disconnect());
  const store = sessionStoreFor(new RedisSessionRecords(dead, 'x:', 60_000));
  await t.rejects(promised.get(store, 'id'), SessionStoreUnavailableError);
  await t.rejects(promised.set(store, 'id', signedIn(1000)), SessionStoreUnavailableError);
  await t.rejects(promised.destroy(store, 'id'), SessionStoreUnavailableError);
});

t.test('the memory store sweeps expired records and tombstones', async (t) => {
  const records = new MemorySessionRecords(1_000);
  t.teardown(() => records.close());
  await records.write('a', signedIn(10), Date.now() + 10);
  await records.write('b', signedIn(10_000), Date.now() + 10_000);
  await records.end('c');
  records.sweep(Date.now() + 100);
  t.equal(records.size, 2, 'the live record and the fresh tombstone stay');
  records.sweep(Date.now() + 2_000);
  t.equal(records.size, 1, 'the tombstone goes once no session could outlive it');
});

t.test('ending a session in Redis leaves a tombstone that expires with the absolute lifetime', async (t) => {
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  await records.write('ended', signedIn(10_000), Date.now() + 10_000);
  await records.end('ended');
  const tombstone = `${redis.keyPrefix}session-ended:${hashSessionId('ended')}`;
  const ttl = await redis.client.pttl(tombstone);
  t.ok(ttl > 59_000 && ttl <= 60_000, `tombstone TTL ${ttl} ms`);
  t.equal(await redis.client.exists(records.key('ended')), 0);
});
