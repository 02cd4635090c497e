import { Browser, LogCapture } from '@native-login/test-support';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { MemorySessionRecords, type StoredSession } from '../../src/index.js';
import type { FusionAuthGateway } from '../../src/fusionauth/gateway.js';
import { endSessions, endSessionsOverLimit } from '../../src/session/ending-sessions.js';
import { hashSessionId, sessionsInThisApp } from '../../src/session/records/session-records.js';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);

/** Records of a test's own, a FusionAuth that notes the tokens it is asked to revoke, and a log to read. */
function ending(t: Test) {
  const records = new MemorySessionRecords();
  t.teardown(() => records.close());
  const revoked: string[] = [];
  // Only the revocation is called here; the flows meet the real stand-in in the route tests.
  const fusionAuth = {
    revokeRefreshToken: async (id: string) => {
      revoked.push(id);
      return true;
    },
  } as unknown as FusionAuthGateway;
  const log = new LogCapture();
  const logger = Fastify({ logger: { level: 'info', stream: log } }).log;
  return { records, fusionAuth, log: logger, revoked, logged: log };
}

const session = (userId: string, createdAt: number, refreshTokenId: string): StoredSession => ({
  applicationId: 'app',
  user: { id: userId, email: 'lee@example.com', roles: [] },
  createdAt,
  idleExpiresAt: Date.now() + 60_000,
  absoluteExpiresAt: Date.now() + 60_000,
  refreshTokenId,
});

void t.test('endSessions answers how many were still there, and revokes every refresh token', async (t) => {
  const { records, fusionAuth, log, revoked } = ending(t);
  await records.start('a', session('lee', 1, 'rt-a'));
  await records.start('b', session('lee', 2, 'rt-b'));
  const entries = await sessionsInThisApp(records, 'app', 'lee');
  await records.endForUser('lee', hashSessionId('a'));
  t.equal(await endSessions({ records, fusionAuth, log }, 'lee', entries, 'test'), 1, 'one had already ended');
  t.same(revoked.sort(), ['rt-a', 'rt-b']);
});

void t.test('endSessionsOverLimit: the oldest end, never the current one, and the log says how many', async (t) => {
  const { records, fusionAuth, log, revoked, logged } = ending(t);
  // The current session is the oldest here: it stays all the same. Started out of order, so that
  // only their starting times say which are the oldest.
  for (const [name, createdAt] of [
    ['current', 1],
    ['fourth', 4],
    ['third', 3],
    ['second', 2],
  ] as const) {
    await records.start(name, session('lee', createdAt, `rt-${name}`));
  }
  const over = { applicationId: 'app', userId: 'lee', current: hashSessionId('current'), limit: 4 };
  t.equal(await endSessionsOverLimit({ records, fusionAuth, log }, over), 0, 'at the limit, none');
  t.same(logged.lines, [], 'and nothing to say');

  t.equal(await endSessionsOverLimit({ records, fusionAuth, log }, { ...over, limit: 2 }), 2);
  t.same(
    (await sessionsInThisApp(records, 'app', 'lee')).map(({ handle }) => handle).sort(),
    [hashSessionId('current'), hashSessionId('fourth')].sort(),
    'the two oldest but the current one ended',
  );
  t.same(revoked.sort(), ['rt-second', 'rt-third'], 'with their refresh tokens');
  t.match(logged.lines, [
    {
      level: 30,
      event: 'sessions_over_limit_ended',
      userId: 'lee',
      count: 2,
      limit: 2,
      msg: "the user's oldest sessions ended: too many at once",
    },
  ]);
});

void t.test(
  'a sign-in at the limit reads no list; past it, one; a failure there is logged, not the sign-in',
  async (t) => {
    const log = new LogCapture();
    const app = await fixture.build(
      { SESSIONS_PER_USER: '2', LOG_LEVEL: 'warn' },
      { keyPrefix: `${fixture.redis.keyPrefix}within:`, logStream: log },
    );
    const reads = t.capture(app.sessionRecords, 'listForUser', app.sessionRecords.listForUser.bind(app.sessionRecords));
    for (let signIn = 0; signIn < 2; signIn += 1) {
      t.equal((await new Browser(app).login('storeonly@example.com')).statusCode, 200);
    }
    t.equal(reads.calls.length, 0, 'up to the limit, the start answered the list size: nothing read');
    t.equal((await new Browser(app).login('storeonly@example.com')).statusCode, 200);
    t.equal(reads.calls.length, 1, 'past it, the list is read once');
    const ends = await app.metrics.registry.getSingleMetric('session_ends_total')?.get();
    t.match(
      ends?.values.find(({ labels }) => labels['reason'] === 'limit'),
      { value: 1 },
      'counted as ended by the limit',
    );
    reads.restore();

    t.capture(app.sessionRecords, 'listForUser', async () => {
      throw new Error('the list cannot be read');
    });
    const signedIn = await new Browser(app).login('storeonly@example.com');
    t.equal(signedIn.statusCode, 200, 'the new session stands');
    t.match(log.lines, [
      {
        level: 40,
        err: { message: 'the list cannot be read' },
        msg: "could not end the user's sessions over the limit",
      },
    ]);
    t.ok(
      log.lines.every((line) => typeof line['userId'] === 'string'),
      'naming the user',
    );
  },
);
