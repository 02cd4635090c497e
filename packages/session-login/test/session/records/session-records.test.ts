import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from 'fastify';
import { Redis } from 'ioredis';
import { useRedis } from '@native-login/test-support';
import { commandsOf, separateClient } from '../../support/redis.js';
import type { Test } from 'tap';
import t from 'tap';
import {
  hashSessionId,
  MemorySessionRecords,
  newSessionId,
  userSlotTag,
  sessionRecordKey,
  userSessionsKey,
  RedisSessionRecords,
  SessionStoreAdapter,
  SessionStoreUnavailableError,
  type SessionRecords,
  type StoredSession,
} from '../../../src/index.js';
import { sessionsInThisApp, timeToLive, type SessionEntry } from '../../../src/session/records/session-records.js';
import { SessionRecord } from '../../../src/session/session-data.js';

const redis = await useRedis(t);

const user = { id: 'user-1', email: 'sam@example.com', roles: ['customer'] };
/** A user of one test's own, so that lists of sessions hold only what that test started. */
const someone = () => ({ ...user, id: randomUUID() });
/** A signed-in session's id, named for the test: it carries its user's slot tag, as every such id does. */
const id = (name: string, owner = user) => `${userSlotTag(owner.id)}.${name}`;
const signedIn = (idleMs: number, absoluteMs = 60_000, owner = user): StoredSession => {
  const now = Date.now();
  return {
    applicationId: 'app',
    user: owner,
    createdAt: now,
    idleExpiresAt: now + idleMs,
    absoluteExpiresAt: now + absoluteMs,
    signedInWith: 'password',
    device: { ip: '192.0.2.1', description: 'Firefox 140 on Linux' },
  };
};

const promised = {
  get: (store: SessionStoreAdapter, id: string) =>
    new Promise<Session | null | undefined>((resolve, reject) =>
      store.get(id, (error, session) => (error ? reject(error) : resolve(session))),
    ),
  set: (store: SessionStoreAdapter, id: string, session: Session) =>
    new Promise<void>((resolve, reject) =>
      store.set(id, session, (error?: Error) => (error ? reject(error) : resolve())),
    ),
  destroy: (store: SessionStoreAdapter, id: string) =>
    new Promise<void>((resolve, reject) => store.destroy(id, (error?: Error) => (error ? reject(error) : resolve()))),
};

/** What @fastify/session hands the store: its Session, whose one field is the record. */
const sessionOf = (fields: StoredSession) => ({ record: new SessionRecord(fields) }) as Session;

/** One suite, run against Redis and against the embedded store: they must behave alike. */
function storeSuite(name: string, make: (t: Test) => SessionRecords) {
  void t.test(name, async (t) => {
    void t.test('start, read, update, end', async (t) => {
      const records = make(t);
      const record = signedIn(10_000);
      await records.start(id('id-1'), record);
      t.same(await records.read(id('id-1')), record);
      t.equal(await records.read(id('id-2')), undefined);
      t.equal(await records.update(id('id-1'), { ...record, refreshTokenId: 'rt' }), true);
      t.equal((await records.read(id('id-1')))?.refreshTokenId, 'rt');
      await records.end(id('id-1'));
      t.equal(await records.read(id('id-1')), undefined);
    });

    void t.test("a start answers how many sessions its user's list holds", async (t) => {
      const records = make(t);
      const owner = someone();
      t.equal(await records.start(id('one', owner), signedIn(10_000, 60_000, owner)), 1);
      t.equal(await records.start(id('two', owner), signedIn(10_000, 60_000, owner)), 2);
      t.equal(
        await records.start(id('three', owner), signedIn(10_000, 60_000, owner), {
          sessionId: id('one', owner),
          userId: owner.id,
        }),
        2,
        'the replaced session has left the list',
      );
      const pending = {
        applicationId: 'app',
        twoFactor: { twoFactorId: 'tf', loginId: 'x', expiresAt: Date.now() + 10_000, failedAttempts: 0 },
      };
      t.equal(await records.start('pre-login', pending), 0, 'a session without a user is on no list');
      t.equal(
        await records.start(id('late', owner), { ...signedIn(10_000, 60_000, owner), idleExpiresAt: Date.now() - 1 }),
        0,
        'nor one with nothing to keep',
      );
    });

    void t.test('regression: a request that finishes after logout cannot write the session back', async (t) => {
      const records = make(t);
      const store = new SessionStoreAdapter(records);
      // A slow request loaded the session, the user logged out, then the slow request saves it.
      await records.start(id('slow'), signedIn(10_000));
      const loadedBySlowRequest = await promised.get(store, id('slow'));
      await promised.destroy(store, id('slow'));
      await promised.set(store, id('slow'), loadedBySlowRequest as Session);
      t.equal(await promised.get(store, id('slow')), null, 'the ended session stays ended');
      t.equal(await records.update(id('slow'), signedIn(10_000)), false);
      await records.start(id('other'), signedIn(10_000));
      t.equal(await records.update(id('other'), signedIn(10_000)), true, 'other sessions are unaffected');
    });

    void t.test('a new session replaces the one it was started over, and lists only itself', async (t) => {
      const records = make(t);
      const owner = someone();
      await records.start(id('before', owner), signedIn(10_000, 60_000, owner));
      await records.start(id('after', owner), signedIn(10_000, 60_000, owner), {
        sessionId: id('before', owner),
        userId: owner.id,
      });
      t.equal(await records.read(id('before', owner)), undefined, 'the replaced session has ended');
      t.equal(
        await records.update(id('before', owner), signedIn(10_000, 60_000, owner)),
        false,
        'and cannot be written back',
      );
      t.same(
        (await records.listForUser(owner.id)).map(({ handle }) => handle),
        [hashSessionId(id('after', owner))],
      );
    });

    void t.test("a user's sessions: listed by handle, one ended, nobody else's", async (t) => {
      const records = make(t);
      const [me, other] = [someone(), someone()];
      await records.start(id('mine', me), signedIn(10_000, 60_000, me));
      await records.start(id('theirs', other), signedIn(10_000, 60_000, other));
      t.equal(
        await records.endForUser(me.id, hashSessionId(id('theirs', other))),
        false,
        "another user's session is not mine to end",
      );
      t.ok(await records.read(id('theirs', other)), 'and it lives on');
      t.equal(await records.endForUser(me.id, hashSessionId(id('mine', me))), true);
      t.equal(await records.read(id('mine', me)), undefined);
      t.same(await records.listForUser(me.id), []);
    });

    void t.test("regression: a handle of another user's, given with my id, ends nothing", async (t) => {
      const records = make(t);
      const [a, b, nobody] = [someone(), someone(), someone()];
      const [aId, bId] = [newSessionId(a.id), newSessionId(b.id)];
      await records.start(aId, signedIn(10_000, 60_000, a));
      await records.start(bId, signedIn(10_000, 60_000, b));
      t.equal(await records.endForUser(a.id, hashSessionId(bId)), false, "B's handle with A's id");
      t.equal(
        await records.endForUser(nobody.id, hashSessionId(bId)),
        false,
        'nor with the id of a user with no sessions',
      );
      t.ok(await records.read(bId), "B's session lives on");
      t.same(
        (await records.listForUser(b.id)).map(({ handle }) => handle),
        [hashSessionId(bId)],
        'and is still listed under B',
      );
      t.same(
        (await records.listForUser(a.id)).map(({ handle }) => handle),
        [hashSessionId(aId)],
        "A's list is unchanged",
      );
      t.ok(await records.read(aId), "and so is A's session");
      t.equal(await records.endForUser(b.id, hashSessionId(bId)), true, 'B may end it');
      t.equal(await records.read(bId), undefined);
    });

    void t.test('a record with nothing to keep, or past its deadline, is never written', async (t) => {
      const records = make(t);
      const owner = someone();
      const live = signedIn(10_000, 60_000, owner);
      await records.start(id('kept', owner), live);
      const { applicationId: _, ...withoutApplication } = live;
      t.equal(await records.update(id('kept', owner), withoutApplication), false, 'a record without its application');
      t.equal(
        await records.update(id('kept', owner), { ...live, idleExpiresAt: Date.now() - 1 }),
        false,
        'one past its deadline',
      );
      t.same(await records.read(id('kept', owner)), live, 'the stored record is unchanged');

      const late = { ...signedIn(10_000, 60_000, owner), absoluteExpiresAt: Date.now() - 1 };
      await records.start(id('late', owner), late, { sessionId: id('kept', owner), userId: owner.id });
      t.equal(
        await records.read(id('kept', owner)),
        undefined,
        'a start past its deadline still ends the session it replaces',
      );
      t.equal(await records.read(id('late', owner)), undefined, 'and keeps nothing of its own');
      t.same(await records.listForUser(owner.id), [], 'nor lists it');
    });

    void t.test('a record is gone once its deadline passes', async (t) => {
      const records = make(t);
      const owner = someone();
      await records.start(id('short', owner), signedIn(1_000, 60_000, owner));
      t.ok(await records.read(id('short', owner)));
      await sleep(1_200);
      t.equal(await records.read(id('short', owner)), undefined);
      t.same(await records.listForUser(owner.id), [], 'and its handle leaves the list');
    });

    void t.test('the store adapter: expired records are absent, only a start creates a record', async (t) => {
      const records = make(t);
      const store = new SessionStoreAdapter(records);
      await records.start(id('live'), signedIn(10_000));
      t.match(await promised.get(store, id('live')), { record: { fields: { user } } });

      // Written with a live idle deadline, then read after its deadline has passed: the deadline wins.
      await records.start(id('stale'), signedIn(10_000));
      await records.update(id('stale'), { ...signedIn(10_000), idleExpiresAt: Date.now() + 50 });
      await sleep(60);
      t.equal(await promised.get(store, id('stale')), null);

      await promised.set(store, 'anonymous', {} as Session);
      t.equal(await records.read('anonymous'), undefined, 'nothing is kept for a session without a user');
      await promised.set(store, 'never-started', sessionOf(signedIn(10_000)));
      t.equal(await records.read('never-started'), undefined, 'a save that is not a start creates nothing');

      await promised.destroy(store, id('live'));
      t.equal(await promised.get(store, id('live')), null);
    });
  });
}

storeSuite('Redis records', () => new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000));
storeSuite('in-memory records', (t) => {
  const records = new MemorySessionRecords();
  t.teardown(() => records.close());
  return records;
});

void t.test(
  "Redis keys are hashes of the session id under its user's slot tag, with a TTL that matches the deadline",
  async (t) => {
    const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
    const sessionId = newSessionId(user.id);
    await records.start(sessionId, signedIn(30_000));
    const key = `${redis.keyPrefix}session:{${userSlotTag(user.id)}}:${hashSessionId(sessionId)}`;
    t.equal(records.key(sessionId), key);
    t.equal(sessionRecordKey(redis.keyPrefix, sessionId), key, 'as sessionRecordKey names it');
    t.equal(await redis.client.exists(key), 1);
    const keys = await redis.keys(`${redis.keyPrefix}*`);
    t.notOk(
      keys.some((candidate) => candidate.includes(sessionId)),
      'the id is in no key',
    );
    t.notOk((await redis.client.get(key))?.includes(sessionId), 'nor in the value');
    const ttl = await redis.client.pttl(key);
    t.ok(ttl > 29_000 && ttl <= 30_000, `TTL ${ttl} ms matches the 30 s deadline`);
    const listKey = `${redis.keyPrefix}user-sessions:{${userSlotTag(user.id)}}:${user.id}`;
    t.equal(userSessionsKey(redis.keyPrefix, user.id), listKey, "the user's list shares the tag");
    const listTtl = await redis.client.pttl(listKey);
    t.ok(listTtl > 59_000 && listTtl <= 60_000, `the user's list lives as long as a session can (${listTtl} ms)`);
  },
);

void t.test("Redis: a pre-login session's start names its record's key and nothing else", async (t) => {
  const client = await separateClient(t, redis);
  const records = new RedisSessionRecords(client, redis.keyPrefix, 60_000);
  const warm = someone();
  await records.start(newSessionId(warm.id), signedIn(10_000, 60_000, warm));
  const waiting: StoredSession = {
    applicationId: 'app',
    twoFactor: { twoFactorId: 'tf', loginId: 'sam@example.com', expiresAt: Date.now() + 10_000, failedAttempts: 0 },
  };
  const sent = await commandsOf(redis, client, () => records.start('pending', waiting));
  t.same(
    sent.map(([command, key]) => [command, key]),
    [['SET', records.key('pending')]],
    'one command on one key: no user, so no list',
  );
  t.same(await records.read('pending'), waiting, 'and the record is there');
});

void t.test('Redis: a start with nothing to keep writes no key at all', async (t) => {
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  const owner = someone();
  const { applicationId: _, ...withoutApplication } = signedIn(10_000, 60_000, owner);
  const [noApplication, pastDeadline] = [id('no-application', owner), id('past-deadline', owner)];
  await records.start(noApplication, withoutApplication);
  await records.start(pastDeadline, { ...signedIn(10_000, 60_000, owner), idleExpiresAt: Date.now() - 1 });
  t.equal(await redis.client.exists(records.key(noApplication)), 0, 'no record without an application');
  t.equal(await redis.client.exists(records.key(pastDeadline)), 0, 'nor past its deadline');
  t.equal(await redis.client.exists(userSessionsKey(redis.keyPrefix, owner.id)), 0, 'and no list');
});

void t.test('a session started over another: one script ends it, one starts the new one, nothing else', async (t) => {
  const client = await separateClient(t, redis);
  const records = new RedisSessionRecords(client, redis.keyPrefix, 60_000);
  const owner = someone();
  // Both scripts are loaded (a replaced session ends by a script of its own) before the recording.
  await records.start(id('zero', owner), signedIn(10_000, 60_000, owner));
  await records.start(id('first', owner), signedIn(10_000, 60_000, owner), {
    sessionId: id('zero', owner),
    userId: owner.id,
  });
  const sent = await commandsOf(redis, client, () =>
    records.start(id('second', owner), signedIn(10_000, 60_000, owner), {
      sessionId: id('first', owner),
      userId: owner.id,
    }),
  );
  t.same(
    sent.map(([command, , numberOfKeys, ...keys]) => [command, keys.slice(0, Number(numberOfKeys))]),
    [
      ['EVALSHA', [records.key(id('first', owner)), userSessionsKey(redis.keyPrefix, owner.id)]],
      ['EVALSHA', [records.key(id('second', owner)), userSessionsKey(redis.keyPrefix, owner.id)]],
    ],
    'the commands the scripts run are their own; each names keys of one slot',
  );
  t.equal(await records.read(id('first', owner)), undefined, 'the replaced session has ended');
  t.ok(await records.read(id('second', owner)), 'the new one is there');
  t.same(
    (await records.listForUser(owner.id)).map(({ handle }) => handle),
    [hashSessionId(id('second', owner))],
    'and only it is listed',
  );
});

void t.test('a Redis that does not answer makes the adapter report the store unavailable', async (t) => {
  const dead = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  dead.on('error', () => undefined);
  t.teardown(() => dead.disconnect());
  const records = new RedisSessionRecords(dead, 'x:', 60_000);
  const store = new SessionStoreAdapter(records);
  await t.rejects(promised.get(store, 'id'), SessionStoreUnavailableError);
  await t.rejects(promised.set(store, 'id', sessionOf(signedIn(1000))), SessionStoreUnavailableError);
  await t.rejects(promised.destroy(store, 'id'), SessionStoreUnavailableError);
  await t.rejects(records.start(id('id'), signedIn(1000)), SessionStoreUnavailableError);
});

void t.test('the memory store sweeps expired records', async (t) => {
  const records = new MemorySessionRecords();
  t.teardown(() => records.close());
  await records.start(id('a'), signedIn(10));
  await records.start(id('b'), signedIn(10_000));
  records.sweep(Date.now() + 100);
  t.equal(records.size, 1, 'the live record stays');
  t.same(
    (await records.listForUser(user.id)).map(({ handle }) => handle),
    [hashSessionId(id('b'))],
  );
});

void t.test('the handle is the SHA-256 of the session id, base64url without padding', async (t) => {
  // Pinned: a change of algorithm or encoding would orphan every session already stored.
  t.equal(hashSessionId('known-id'), 'kO3sWFCd6_NYefSVYnltIraeGlDFptYgd8-aaWXvDus');
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  t.equal(
    records.key('known-id'),
    `${redis.keyPrefix}session:{kO3sWFCd6_NYefSVYnltIraeGlDFptYgd8-aaWXvDus}`,
    'an id without a user tag (a pre-login session) is a slot of its own',
  );
  t.equal(userSlotTag('known-user'), 'rO5iG-9el3iUlio6', "a user's tag: the first 16 characters of the id's SHA-256");
  t.equal(
    records.key(`${userSlotTag('known-user')}.known-id`),
    `${redis.keyPrefix}session:{rO5iG-9el3iUlio6}:${hashSessionId(`${userSlotTag('known-user')}.known-id`)}`,
  );
});

void t.test('Redis: a handle whose record has expired is pruned from the list when it is read', async (t) => {
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  const owner = someone();
  const userKey = userSessionsKey(redis.keyPrefix, owner.id);
  const [expiresSoon, stays] = [id('expires-soon', owner), id('stays', owner)];
  await records.start(expiresSoon, signedIn(300, 60_000, owner));
  await records.start(stays, signedIn(10_000, 60_000, owner));
  t.same((await redis.client.smembers(userKey)).sort(), [hashSessionId(expiresSoon), hashSessionId(stays)].sort());
  await sleep(400);
  t.equal(await redis.client.exists(records.key(expiresSoon)), 0, 'the record expired by its TTL');
  t.same(
    (await records.listForUser(owner.id)).map(({ handle }) => handle),
    [hashSessionId(stays)],
  );
  t.same(await redis.client.smembers(userKey), [hashSessionId(stays)], 'and its handle has left the list');
});

void t.test('timeToLive: what is left of the earlier deadline, none once it is reached', async (t) => {
  const record = { ...signedIn(10_000, 20_000), idleExpiresAt: 5_000, absoluteExpiresAt: 8_000 };
  t.equal(timeToLive(record, 1_000), 4_000, 'the idle deadline comes first');
  t.equal(timeToLive({ ...record, absoluteExpiresAt: 3_000 }, 1_000), 2_000, 'or the absolute one');
  t.equal(timeToLive(record, 4_999), 1, 'a millisecond before it');
  t.equal(timeToLive(record, 5_000), undefined, 'at the deadline: a TTL of 0 would be no TTL at all');
  t.equal(timeToLive({ applicationId: 'app' }, 1_000), undefined, 'a record with no deadline');
});

void t.test("sessionsInThisApp: only this app's sessions whose deadline has not passed", async (t) => {
  const owner = someone();
  const entry = (handle: string, record: StoredSession): SessionEntry => ({ handle, record });
  const now = Date.now();
  const listed = [
    entry('live', signedIn(10_000, 60_000, owner)),
    entry('idle-deadline-passed', { ...signedIn(10_000, 60_000, owner), idleExpiresAt: now - 1 }),
    entry('absolute-deadline-passed', { ...signedIn(10_000, 60_000, owner), absoluteExpiresAt: now - 1 }),
    entry('other-app', { ...signedIn(10_000, 60_000, owner), applicationId: 'other-app' }),
  ];
  // A store that still lists every record (as Redis does until a key's TTL fires).
  const records: SessionRecords = {
    read: async () => undefined,
    start: async () => 0,
    update: async () => false,
    end: async () => undefined,
    listForUser: async (userId) => (userId === owner.id ? listed : []),
    endForUser: async () => false,
  };
  t.same(
    (await sessionsInThisApp(records, 'app', owner.id)).map(({ handle }) => handle),
    ['live'],
  );
  t.same(await sessionsInThisApp(records, 'app', someone().id), []);
});

void t.test(
  'Redis: with replication asked for, a start or an end waits for the replicas, and says when too few came',
  async (t) => {
    // The test's Redis has no replica: WAIT answers 0 after its timeout.
    const shortfalls: number[] = [];
    const waiting = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000, {
      replicas: 1,
      timeoutMs: 20,
      onShortfall: (acknowledged) => shortfalls.push(acknowledged),
    });
    const owner = someone();
    t.equal(
      await waiting.start(id('waited', owner), signedIn(10_000, 60_000, owner)),
      1,
      'the start still answers its list',
    );
    t.ok(await waiting.read(id('waited', owner)), 'and is written');
    t.same(shortfalls, [0], 'no replica acknowledged it: said once');
    t.equal(
      await waiting.endForUser(owner.id, hashSessionId(id('waited', owner))),
      true,
      'an end answers its own answer',
    );
    t.same(shortfalls, [0, 0]);

    const enough = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000, {
      replicas: 0,
      timeoutMs: 20,
      onShortfall: (acknowledged) => shortfalls.push(acknowledged),
    });
    await enough.start(id('unwaited', owner), signedIn(10_000, 60_000, owner));
    t.same(shortfalls, [0, 0], 'as many replicas as asked: nothing to say');
  },
);

void t.test("Redis: a signed-in session's id must carry its user's slot tag", async (t) => {
  const records = new RedisSessionRecords(redis.client, redis.keyPrefix, 60_000);
  const owner = someone();
  await t.rejects(records.start(id('tagged-for-another'), signedIn(10_000, 60_000, owner)), {
    cause: { message: /must carry its user's slot tag/ },
  });
  t.equal(await records.read(id('tagged-for-another')), undefined, 'and nothing is written');
});
