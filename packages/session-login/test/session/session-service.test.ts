import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import t from 'tap';
import { ApiError, loadAppConfig } from '../../src/index.js';
import { cookieSettings } from '../../src/session/cookie-settings.js';
import { sealId } from '../../src/session/sealed-ids.js';
import { SessionRecord, type StoredSession } from '../../src/session/session-data.js';
import { createSessionService } from '../../src/session/session-service.js';
import type { SessionStoreAdapter } from '../../src/session/session-store-adapter.js';

/**
 * The session service's reading of a loaded session, on its own: whether it is a live signed-in
 * session of this app, the second factor it waits for, when it slides, and how long it has left.
 * The clock stands still in each test, so that every deadline can be met to the millisecond.
 */
const applicationId = randomUUID();
const config = loadAppConfig('STORE', {
  FUSIONAUTH_URL: 'http://127.0.0.1:9011',
  FUSIONAUTH_API_KEY: 'an-api-key-for-these-tests-only',
  FUSIONAUTH_TENANT_ID: randomUUID(),
  STORE_APPLICATION_ID: applicationId,
  STORE_SESSION_SECRET: randomBytes(32).toString('base64url'),
  SESSION_IDLE_TIMEOUT_SECONDS: '600',
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3600',
  SESSION_EXTEND_AFTER_FRACTION: '0.1',
});
// These readings never touch the store.
const service = createSessionService(config, cookieSettings('STORE', config.origin), {} as SessionStoreAdapter);

const now = 1_800_000_000_000;
const user = { id: randomUUID(), email: 'sam@example.com', roles: ['customer'] };
const signedIn = (fields: Partial<StoredSession> = {}): StoredSession => ({
  applicationId,
  user,
  createdAt: now - 60_000,
  idleExpiresAt: now + 300_000,
  absoluteExpiresAt: now + 3_000_000,
  ...fields,
});
/** The id of the requests' session: the key that seals a pending step's FusionAuth id. */
const sessionId = 'the-session-id';
const waitingFor = { loginId: 'sam@example.com', expiresAt: now + 1_000, failedAttempts: 0 };
/** A pre-login record, as the store holds it: the twoFactorId sealed for this session. */
const pending = (fields: Partial<StoredSession> = {}): StoredSession => ({
  applicationId,
  twoFactor: { ...waitingFor, twoFactorId: sealId(sessionId, 'tf') },
  ...fields,
});
/** A request whose loaded session holds `fields` (none when undefined). */
const requestWith = (fields?: StoredSession) =>
  ({ session: { sessionId, record: fields && new SessionRecord(fields) } }) as unknown as FastifyRequest;

t.beforeEach((t) => {
  t.capture(Date, 'now', () => now);
});

void t.test('signedIn: a live signed-in session of this app, nothing else', async (t) => {
  const fields = signedIn();
  t.equal(service.signedIn(requestWith(fields)), fields, "this app's live session");
  t.equal(service.signedIn(requestWith()), undefined, 'no session');
  t.equal(service.signedIn({} as FastifyRequest), undefined, 'a request outside the session scope');
  t.equal(service.signedIn(requestWith(pending())), undefined, 'a pre-login session');
  t.equal(service.signedIn(requestWith(signedIn({ applicationId: randomUUID() }))), undefined, "another app's");
  t.equal(service.signedIn(requestWith(signedIn({ idleExpiresAt: now }))), undefined, 'at its idle deadline');
  t.equal(service.signedIn(requestWith(signedIn({ absoluteExpiresAt: now }))), undefined, 'at its absolute deadline');
  t.ok(service.signedIn(requestWith(signedIn({ idleExpiresAt: now + 1 }))), 'a millisecond before');
  t.equal(service.signedIn(requestWith(signedIn({ idleExpiresAt: undefined }))), undefined, 'without an idle deadline');
  t.equal(
    service.signedIn(requestWith(signedIn({ absoluteExpiresAt: undefined }))),
    undefined,
    'without an absolute deadline',
  );
  t.equal(service.userOf(requestWith(fields)), user);
});

void t.test('requireSignIn: the user of this app, or 401', async (t) => {
  const guarded = (fields?: StoredSession) => {
    const request = requestWith(fields);
    let outcome: ApiError | undefined | 'not called' = 'not called';
    service.requireSignIn(request, {} as never, (error) => (outcome = error));
    return { outcome, user: (request as { user?: unknown }).user };
  };
  t.same(guarded(signedIn()), { outcome: undefined, user });
  for (const [label, fields] of [
    ['no session', undefined],
    ['a pre-login session', pending()],
    ["another app's session", signedIn({ applicationId: randomUUID() })],
  ] as const) {
    const { outcome, user: set } = guarded(fields);
    t.match(outcome, { statusCode: 401, code: 'unauthenticated' }, label);
    t.equal(set, undefined, `${label}: no user`);
  }
});

void t.test('pendingTwoFactor: the second factor this app waits for, until it expires', async (t) => {
  t.same(service.pendingTwoFactor(requestWith(pending())), { ...waitingFor, twoFactorId: 'tf' }, 'the id opened');
  const sealedElsewhere = pending({ twoFactor: { ...waitingFor, twoFactorId: sealId('another-session', 'tf') } });
  t.equal(service.pendingTwoFactor(requestWith(sealedElsewhere)), undefined, 'sealed for another session');
  t.equal(service.pendingTwoFactor(requestWith(pending({ applicationId: randomUUID() }))), undefined, "another app's");
  t.equal(
    service.pendingTwoFactor(
      requestWith(pending({ twoFactor: { twoFactorId: 'tf', loginId: 'x', expiresAt: now, failedAttempts: 0 } })),
    ),
    undefined,
    'at its deadline',
  );
  t.equal(service.pendingTwoFactor(requestWith(signedIn())), undefined, 'a signed-in session waits for none');
  t.equal(service.pendingTwoFactor(requestWith()), undefined, 'nor does a visitor');
});

void t.test('extendIfDue: the idle deadline slides once a tenth of the idle timeout has passed', async (t) => {
  const idle = 600_000;
  const extended = (idleExpiresAt: number) => {
    const request = requestWith(signedIn({ idleExpiresAt }));
    const before = request.session.record;
    service.extendIfDue(request);
    return request.session.record === before ? undefined : request.session.record?.fields;
  };
  t.equal(extended(now + idle - 59_999), undefined, 'not a millisecond before');
  t.match(extended(now + idle - 60_000), { idleExpiresAt: now + idle, absoluteExpiresAt: now + 3_000_000 }, 'at it');
  t.match(extended(now + 1), { idleExpiresAt: now + idle }, 'and long after');
  const request = requestWith(pending());
  const before = request.session.record;
  service.extendIfDue(request);
  t.equal(request.session.record, before, 'a pre-login session does not slide');
});

void t.test('timeLeft: until the earlier deadline, and until the absolute one', async (t) => {
  t.same(service.timeLeft(requestWith(signedIn())), { idle: 300_000, absolute: 3_000_000 });
  t.same(
    service.timeLeft(requestWith(signedIn({ idleExpiresAt: now + 500, absoluteExpiresAt: now + 200 }))),
    { idle: 200, absolute: 200 },
    'the absolute deadline cuts the idle one short',
  );
  t.equal(service.timeLeft(requestWith(pending())), undefined, 'none for a pre-login session');
  t.equal(service.timeLeft(requestWith()), undefined, 'nor for a visitor');
});
