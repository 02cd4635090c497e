import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Browser,
  buildBackend,
  LogCapture,
  recordWebhookDeliveries,
  testConfig,
  type AppPlugin,
} from '@native-login/test-support';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import t from 'tap';
import notesApp, { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const { standIn } = fixture;
const fusionAuth = standIn.client;
/** FusionAuth's API wants an existing user as the one who takes an action. */
const actionerId = (await fusionAuth.retrieveUserByEmail('shopper@example.com')).response.user?.id ?? '';
const events = ['user.deactivate', 'user.delete', 'user.password.update', 'jwt.refresh-token.revoke', 'user.action'];

// The backend listens for real here: FusionAuth (the stand-in) calls it over HTTP, through a recorder
// that passes each delivery on unchanged and keeps the app's answer, so tests can wait for it.
const app = await fixture.build();
const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
const deliveries = await recordWebhookDeliveries(t, `${appUrl}/api/fusionauth/webhook`);

// Signed with an RSA key FusionAuth publishes in its JWKS, which the backend fetches.
const signingKeyId = randomUUID();
await fusionAuth.generateKey(signingKeyId, {
  key: { algorithm: 'RS256' as never, name: 'Webhook signatures', length: 2048 },
});
await fusionAuth.createWebhook(randomUUID(), {
  webhook: {
    url: deliveries.url,
    global: true,
    eventsEnabled: Object.fromEntries(events.map((type) => [type, true])) as never,
    signatureConfiguration: { enabled: true, signingKeyId },
  },
});
await fusionAuth.patchTenant(standIn.tenantId, {
  tenant: {
    eventConfiguration: { events: Object.fromEntries(events.map((type) => [type, { enabled: true }])) as never },
  },
});

// Events the stand-in cannot be made to send (another application's, a replay, a stale or future
// one, a phase other than `start`) are posted straight to an app that checks HMAC signatures, on
// the same Redis: it sees, and ends, the same sessions.
const secret = 'a-webhook-secret-of-at-least-32-characters';
const hmacApp = await fixture.build({ FUSIONAUTH_WEBHOOK_SECRET: secret });
const bodyHash = (payload: string) => createHash('sha256').update(payload).digest('base64');
const sign = async (payload: string, key = secret, alg = 'HS256') =>
  new SignJWT({ request_body_sha256: bodyHash(payload) })
    .setProtectedHeader({ alg })
    .sign(new TextEncoder().encode(key));
const post = (payload: string, signature?: string, contentType = 'application/json', to = hmacApp) =>
  to.inject({
    method: 'POST',
    url: '/api/fusionauth/webhook',
    headers: { 'content-type': contentType, ...(signature && { 'x-fusionauth-signature-jwt': signature }) },
    payload,
  });
/** Posts `event`, signed as FusionAuth signs it. */
async function postEvent(event: Record<string, unknown>) {
  const payload = JSON.stringify({ event });
  return post(payload, await sign(payload));
}

async function signedInUser() {
  const { id, email } = await standIn.registerUser({ applicationId: standIn.storeApplicationId });
  const phone = new Browser(app);
  const laptop = new Browser(app);
  await phone.login(email);
  await laptop.login(email);
  return { id, email, browsers: [phone, laptop] };
}

/** Each browser's answer to a guarded read, now: 200 signed in, 401 signed out. */
const statusesOf = (browsers: Browser[]) =>
  Promise.all(browsers.map(async (browser) => (await browser.send('GET', '/api/notes')).statusCode));

/** Polls until every browser is signed out (delivery is asynchronous), or gives up after 5 s. */
async function signedOut(browsers: Browser[]): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if ((await statusesOf(browsers)).every((status) => status === 401)) return true;
    await sleep(100);
  }
  return false;
}

/** The app's answer to the first delivered event of `type` about `userId`. */
const answerTo = (type: string, userId: string) =>
  deliveries.waitFor((event) => {
    const user = event['user'] as { id?: unknown } | undefined;
    return event['type'] === type && [user?.id, event['userId'], event['actioneeUserId']].includes(userId);
  }, `${type} about ${userId}`);

void t.test("FusionAuth events end the user's sessions in this app", async (t) => {
  const deactivated = await signedInUser();
  t.same(await statusesOf(deactivated.browsers), [200, 200], 'the user is signed in twice');
  await fusionAuth.deactivateUser(deactivated.id);
  t.ok(await signedOut(deactivated.browsers), 'user.deactivate');
  t.same((await answerTo('user.deactivate', deactivated.id)).answer, { sessionsEnded: 2 }, 'it ended both');

  const deleted = await signedInUser();
  await fusionAuth.deleteUser(deleted.id);
  t.ok(await signedOut(deleted.browsers), 'user.delete');
  t.same((await answerTo('user.delete', deleted.id)).answer, { sessionsEnded: 2 }, 'it ended both');

  const changed = await signedInUser();
  await fusionAuth.patchUser(changed.id, { user: { password: 'a-brand-new-password' } });
  t.ok(await signedOut(changed.browsers), 'user.password.update');
  t.same((await answerTo('user.password.update', changed.id)).answer, { sessionsEnded: 2 }, 'it ended both');

  const revoked = await signedInUser();
  await fusionAuth.revokeRefreshTokensByUserIdForApplication(revoked.id, standIn.storeApplicationId);
  t.ok(await signedOut(revoked.browsers), 'jwt.refresh-token.revoke for this application');
  t.same((await answerTo('jwt.refresh-token.revoke', revoked.id)).answer, { sessionsEnded: 2 }, 'it ended both');

  const actioned = await signedInUser();
  const tenant = await fusionAuth.retrieveTenant(standIn.tenantId);
  await fusionAuth.actionUser({
    action: {
      actioneeUserId: actioned.id,
      actionerUserId: actionerId,
      userActionId: tenant.response.tenant?.failedAuthenticationConfiguration?.userActionId ?? '',
      expiry: Date.now() + 60_000,
    },
  });
  t.ok(await signedOut(actioned.browsers), 'user.action that prevents login');
  t.same((await answerTo('user.action', actioned.id)).answer, { sessionsEnded: 2 }, 'it ended both');
});

void t.test("events that do not concern this app's sessions leave them alone", async (t) => {
  const user = await signedInUser();
  t.same(await statusesOf(user.browsers), [200, 200], 'the user is signed in twice in this app');
  // The user also signs in to the forum: FusionAuth only announces a revocation of tokens that exist.
  await fusionAuth.register(user.id, { registration: { applicationId: standIn.forumApplicationId } });
  const forumLogin = await fusionAuth.login({
    loginId: user.email,
    password: 'password123',
    applicationId: standIn.forumApplicationId,
  });
  t.ok(forumLogin.response.refreshToken, 'the user holds a forum refresh token');
  await fusionAuth.revokeRefreshTokensByUserIdForApplication(user.id, standIn.forumApplicationId);
  // Nothing happening means something only once the app has answered the event.
  const forumRevocation = await deliveries.waitFor(
    (event) =>
      event['type'] === 'jwt.refresh-token.revoke' &&
      event['userId'] === user.id &&
      event['applicationId'] === standIn.forumApplicationId,
    "the revocation of the user's forum refresh tokens",
  );
  t.equal(forumRevocation.statusCode, 200, 'the forum revocation was accepted');
  t.same(forumRevocation.answer, { sessionsEnded: 0 }, 'the forum revocation ended no session');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survived the forum revocation');

  const harmless = randomUUID();
  await fusionAuth.createUserAction(harmless, { userAction: { name: `note ${harmless}`, temporal: false } });
  const action = await fusionAuth.actionUser({
    action: {
      actioneeUserId: user.id,
      actionerUserId: actionerId,
      userActionId: harmless,
    },
  });
  const note = await deliveries.waitFor(
    (event) => event['type'] === 'user.action' && event['actionId'] === action.response.action?.id,
    'the user.action that does not prevent login',
  );
  t.equal(note.statusCode, 200, 'the harmless action was accepted');
  t.equal(note.event['phase'], 'start', 'it was the start of the action');
  t.same(note.answer, { sessionsEnded: 0 }, 'the harmless action ended no session');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survived the harmless action');
});

void t.test("regression: revoking one session's refresh token ends that session only", async (t) => {
  const user = await signedInUser();
  const [phone, laptop] = user.browsers as [Browser, Browser];
  t.equal((await phone.send('POST', '/api/logout')).statusCode, 204);
  const laptopAgain = new Browser(app);
  await laptopAgain.login(user.email);
  // The logout revoked the phone's refresh token; what that event did is known once the app has answered it.
  const revocation = await deliveries.waitFor(
    (event) =>
      event['type'] === 'jwt.refresh-token.revoke' &&
      event['userId'] === user.id &&
      event['refreshToken'] !== undefined,
    "the revocation of the phone's refresh token",
  );
  t.equal(revocation.statusCode, 200, 'the revocation of one refresh token was accepted');
  t.same(revocation.answer, { sessionsEnded: 0 }, 'it ended no other session (the phone had already signed out)');
  t.equal((await phone.send('GET', '/api/notes')).statusCode, 401, 'the phone, whose token it was, is signed out');
  t.equal(
    (await laptop.send('GET', '/api/notes')).statusCode,
    200,
    'the laptop stays signed in after the phone logs out',
  );
  t.equal(
    (await laptopAgain.send('GET', '/api/notes')).statusCode,
    200,
    'a fresh sign-in is not ended by the old revocation',
  );
});

void t.test('a revoked refresh token ends exactly the session that holds it', async (t) => {
  const { id, email } = await standIn.registerUser({ applicationId: standIn.storeApplicationId });
  const phone = new Browser(app);
  await phone.login(email);
  const phoneTokens = (await fusionAuth.retrieveRefreshTokens(id)).response.refreshTokens ?? [];
  t.equal(phoneTokens.length, 1, "the phone's sign-in holds one refresh token");
  const phoneTokenId = phoneTokens[0]?.id ?? '';
  const laptop = new Browser(app);
  await laptop.login(email);
  t.same(await statusesOf([phone, laptop]), [200, 200], 'the user is signed in on both');

  // Revoked in FusionAuth (an administrator, another device's "sign out"), not by this app's logout.
  await fusionAuth.revokeRefreshTokenById(phoneTokenId);
  const revocation = await deliveries.waitFor(
    (event) => (event['refreshToken'] as { id?: unknown } | undefined)?.id === phoneTokenId,
    "the revocation of the phone's refresh token",
  );
  t.equal(revocation.event['type'], 'jwt.refresh-token.revoke');
  t.equal(revocation.statusCode, 200);
  t.same(revocation.answer, { sessionsEnded: 1 }, 'it ended one session');
  t.equal((await phone.send('GET', '/api/notes')).statusCode, 401, 'the phone, which held the token, is signed out');
  t.equal((await laptop.send('GET', '/api/notes')).statusCode, 200, 'the laptop is still signed in');
});

void t.test("a revocation of another application's refresh tokens ends none of this app's sessions", async (t) => {
  const user = await signedInUser();
  t.same(await statusesOf(user.browsers), [200, 200], 'the user is signed in twice in this app');
  const revocation = (applicationId?: string) => ({
    type: 'jwt.refresh-token.revoke',
    createInstant: Date.now(),
    userId: user.id,
    ...(applicationId !== undefined && { applicationId }),
  });
  const forum = await postEvent(revocation(standIn.forumApplicationId));
  t.equal(forum.statusCode, 200, 'the forum revocation is accepted');
  t.same(forum.json(), { sessionsEnded: 0 }, 'and ends no session');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive it');

  const ours = await postEvent(revocation(standIn.storeApplicationId));
  t.same(ours.json(), { sessionsEnded: 2 }, "a revocation of this app's tokens ends both sessions");
  t.same(await statusesOf(user.browsers), [401, 401], 'and signs the user out of both');

  const unnamed = await signedInUser();
  const unnamedEvent = { type: 'jwt.refresh-token.revoke', createInstant: Date.now(), userId: unnamed.id };
  t.same((await postEvent(unnamedEvent)).json(), { sessionsEnded: 2 }, 'one that names no application ends them');
  t.same(await statusesOf(unnamed.browsers), [401, 401]);
});

void t.test('only the start of an action that prevents login signs the user out', async (t) => {
  const user = await signedInUser();
  // An action that does not prevent login, taken (its event ends nothing), then made to prevent it:
  // the user has sessions and an action in force that prevents login, which FusionAuth checks.
  const suspension = randomUUID();
  await fusionAuth.createUserAction(suspension, {
    userAction: { name: `suspension ${suspension}`, temporal: true, preventLogin: false },
  });
  const action = await fusionAuth.actionUser({
    action: {
      actioneeUserId: user.id,
      actionerUserId: actionerId,
      userActionId: suspension,
      expiry: Date.now() + 60_000,
    },
  });
  const started = await deliveries.waitFor(
    (event) => event['type'] === 'user.action' && event['actionId'] === action.response.action?.id,
    'the start of the action, while it did not prevent login',
  );
  t.same(started.answer, { sessionsEnded: 0 }, 'an action that does not prevent login signs nobody out');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive it');
  await fusionAuth.patchUserAction(suspension, { userAction: { preventLogin: true } });
  const preventing = await fusionAuth.retrieveActionsPreventingLogin(user.id);
  t.equal(preventing.response.actions?.length, 1, 'now an action that prevents login is in force on the user');

  const phase = (name: string) => ({
    type: 'user.action',
    createInstant: Date.now(),
    action: `suspension ${suspension}`,
    actionId: action.response.action?.id,
    actioneeUserId: user.id,
    actionerUserId: actionerId,
    phase: name,
  });
  for (const name of ['end', 'cancel', 'modify']) {
    const answer = await postEvent(phase(name));
    t.equal(answer.statusCode, 200, `phase ${name} is accepted`);
    t.same(answer.json(), { sessionsEnded: 0 }, `phase ${name} signs nobody out`);
  }
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive them');

  t.same((await postEvent(phase('start'))).json(), { sessionsEnded: 2 }, 'the start of it ends both sessions');
  t.same(await statusesOf(user.browsers), [401, 401], 'and signs the user out of both');
});

void t.test('a replayed event does not reach sessions begun after it', async (t) => {
  const createInstant = Date.now() - 1_000;
  const user = await signedInUser();
  const replayed = await postEvent({ type: 'user.password.update', createInstant, user: { id: user.id } });
  t.equal(replayed.statusCode, 200, 'an event within the max age is accepted');
  t.same(replayed.json(), { sessionsEnded: 0 }, 'but it ends no session begun after it');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive it');

  const later = await postEvent({ type: 'user.password.update', createInstant: Date.now(), user: { id: user.id } });
  t.same(later.json(), { sessionsEnded: 2 }, 'the same event, after the sign-ins, ends both');
  t.same(await statusesOf(user.browsers), [401, 401]);
});

void t.test('an event delivered several times at once counts each session it ended once', async (t) => {
  // FusionAuth retries a delivery it thinks failed: copies of one event may be handled side by side.
  const user = await signedInUser();
  const event = { type: 'user.password.update', createInstant: Date.now(), user: { id: user.id } };
  const answers = await Promise.all([postEvent(event), postEvent(event), postEvent(event)]);
  const counts = answers.map((answer) => answer.json<{ sessionsEnded: number }>().sessionsEnded);
  t.equal(
    counts.reduce((sum, count) => sum + count, 0),
    2,
    `together they ended the two sessions, each counted once (${counts.join(', ')})`,
  );
  t.same(await statusesOf(user.browsers), [401, 401]);
});

void t.test('events older than the max age, or from the future, are refused as stale', async (t) => {
  const maxAgeMs = 300_000; // FUSIONAUTH_WEBHOOK_MAX_AGE_SECONDS, by default
  const user = await signedInUser();
  const about = (createInstant: number) => ({ type: 'user.deactivate', createInstant, user: { id: user.id } });
  for (const [label, createInstant] of [
    ['older than the max age', Date.now() - maxAgeMs - 5_000],
    ['ten minutes old', Date.now() - 10 * 60_000],
    ['two minutes ahead', Date.now() + 120_000],
    ['more than a minute ahead', Date.now() + 65_000],
  ] as const) {
    const refused = await postEvent(about(createInstant));
    t.equal(refused.statusCode, 401, label);
    t.match(refused.json(), { code: 'webhook_stale' }, label);
  }
  t.same(await statusesOf(user.browsers), [200, 200], 'no stale event ended a session');

  // Within the bounds: a little under the max age (accepted, though the user's sessions, begun after
  // it, are not its to end), and a clock up to a minute ahead (acted on).
  const recentEnough = await postEvent(about(Date.now() - maxAgeMs + 5_000));
  t.equal(recentEnough.statusCode, 200, 'an event a little under the max age is accepted');
  t.same(recentEnough.json(), { sessionsEnded: 0 }, 'and ends no session begun after it');
  const ahead = await signedInUser();
  const slightlyAhead = await postEvent({
    type: 'user.deactivate',
    createInstant: Date.now() + 30_000,
    user: { id: ahead.id },
  });
  t.same(slightlyAhead.json(), { sessionsEnded: 2 }, 'an event from a clock 30 s ahead is acted on');
});

void t.test('a body that is not JSON, and events of other types', async (t) => {
  const user = await signedInUser();
  const notJson = 'event=user.deactivate';
  const parsed = await post(notJson, await sign(notJson));
  t.equal(parsed.statusCode, 400, 'a signed body that is not JSON is refused');
  t.match(parsed.json(), { code: 'invalid_json' });
  const text = JSON.stringify({ event: { type: 'user.deactivate', createInstant: Date.now(), user: { id: user.id } } });
  const plain = await post(text, await sign(text), 'text/plain');
  t.equal(plain.statusCode, 415, 'an event sent as text/plain is refused');
  t.match(plain.json(), { code: 'unsupported_media_type' });

  for (const type of ['user.login.success', 'user.update', 'user.registration.delete']) {
    const other = await postEvent({ type, createInstant: Date.now(), user: { id: user.id }, userId: user.id });
    t.equal(other.statusCode, 200, `${type} is accepted`);
    t.same(other.json(), { sessionsEnded: 0 }, `${type} ends no session`);
  }
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive them all');
});

void t.test('unsigned, mis-signed and altered events are refused', async (t) => {
  const user = await signedInUser();
  const good = JSON.stringify({ event: { type: 'user.deactivate', createInstant: Date.now(), user: { id: user.id } } });

  t.same((await post(good)).json(), { code: 'webhook_unsigned', message: 'The event is not signed.' });
  t.equal((await post(good)).statusCode, 401);
  t.same((await post(good, await sign(good, 'another-secret-of-at-least-32-characters'))).json(), {
    code: 'webhook_signature_invalid',
    message: 'The event signature does not verify.',
  });
  t.same(
    (await post(good.replace('deactivate', 'delete'), await sign(good))).json(),
    { code: 'webhook_signature_invalid', message: 'The event does not match its signature.' },
    'altered',
  );
  t.match((await post(good, 'not-a-jwt')).json(), { code: 'webhook_signature_invalid' });
  const nonsense = '{"event": 5}';
  t.equal((await post(nonsense, await sign(nonsense))).statusCode, 400, 'signed but not an event');
  t.same(await statusesOf(user.browsers), [200, 200], 'no refused event ended a session');

  const accepted = await post(good, await sign(good));
  t.equal(accepted.statusCode, 200, 'signed with the secret');
  t.same(accepted.json(), { sessionsEnded: 2 }, 'the event, properly signed, ends both sessions');
  t.same(await statusesOf(user.browsers), [401, 401]);
});

void t.test('an event signed with HS384 or HS512 is accepted as HS256 is, and no other kind of key', async (t) => {
  const payload = JSON.stringify({ event: { type: 'user.update', createInstant: Date.now() } });
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const answer = await post(payload, await sign(payload, secret, alg));
    t.equal(answer.statusCode, 200, alg);
  }
  const { privateKey } = await generateKeyPair('RS256');
  const rsa = await new SignJWT({ request_body_sha256: bodyHash(payload) })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(privateKey);
  t.equal((await post(payload, rsa)).statusCode, 401, 'an RSA signature, where an HMAC secret is configured');
});

void t.test('every algorithm FusionAuth signs with is accepted from the keys it publishes', async (t) => {
  const algorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
  const signers: Array<{ alg: string; kid: string; privateKey: CryptoKey }> = [];
  const published: object[] = [];
  for (const alg of algorithms) {
    const kid = randomUUID();
    const { privateKey, publicKey } = await generateKeyPair(alg);
    signers.push({ alg, kid, privateKey });
    published.push({ ...(await exportJWK(publicKey)), alg, kid, use: 'sig' });
  }
  const foreign: typeof signers = [];
  for (const alg of ['PS256', 'EdDSA']) {
    const kid = randomUUID();
    const { privateKey, publicKey } = await generateKeyPair(alg);
    foreign.push({ alg, kid, privateKey });
    published.push({ ...(await exportJWK(publicKey)), alg, kid, use: 'sig' });
  }
  // FusionAuth's JWKS, as a server of the test's own: the app fetches its keys from FUSIONAUTH_URL.
  const jwks = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  t.teardown(() => jwks.close());
  const { port } = jwks.address() as AddressInfo;
  const verifying = await fixture.build({ FUSIONAUTH_URL: `http://127.0.0.1:${port}` });

  const payload = JSON.stringify({ event: { type: 'user.update', createInstant: Date.now() } });
  const signed = (alg: string, kid: string, key: CryptoKey | Uint8Array) =>
    new SignJWT({ request_body_sha256: bodyHash(payload) }).setProtectedHeader({ alg, kid }).sign(key);
  for (const { alg, kid, privateKey } of signers) {
    const answer = await post(payload, await signed(alg, kid, privateKey), 'application/json', verifying);
    t.equal(answer.statusCode, 200, alg);
  }
  // Keys FusionAuth never signs with, published all the same: only its own algorithms are accepted.
  for (const { alg, kid, privateKey } of foreign) {
    const answer = await post(payload, await signed(alg, kid, privateKey), 'application/json', verifying);
    t.equal(answer.statusCode, 401, `${alg}, which FusionAuth does not use`);
  }
  const unpublished = await generateKeyPair('RS256');
  t.equal(
    (await post(payload, await signed('RS256', randomUUID(), unpublished.privateKey), 'application/json', verifying))
      .statusCode,
    401,
    'a key FusionAuth does not publish',
  );
  t.equal(
    (await post(payload, await sign(payload, secret), 'application/json', verifying)).statusCode,
    401,
    'an HMAC signature, where no secret is configured',
  );
});

void t.test('a body that would poison prototypes is refused, signed or not', async (t) => {
  const event = `"event": { "type": "user.update", "createInstant": ${Date.now()} }`;
  for (const poisoned of [
    `{ "__proto__": { "polluted": true }, ${event} }`,
    `{ "constructor": { "prototype": { "polluted": true } }, ${event} }`,
  ]) {
    const answer = await post(poisoned, await sign(poisoned));
    t.equal(answer.statusCode, 400, poisoned.slice(0, 20));
    t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'and nothing was polluted');
  }
});

void t.test('the bounds of an event’s age are exact: the max age, and a minute ahead', async (t) => {
  const maxAgeMs = 300_000; // FUSIONAUTH_WEBHOOK_MAX_AGE_SECONDS, by default
  const now = Date.now();
  // The clock stands still while each event is judged, so that the bounds can be met to the millisecond.
  t.capture(Date, 'now', () => now);
  const at = (createInstant: number) => postEvent({ type: 'user.update', createInstant });
  t.equal((await at(now - maxAgeMs)).statusCode, 200, 'exactly the max age');
  t.same((await at(now - maxAgeMs - 1)).json(), {
    code: 'webhook_stale',
    message: 'The event is too old (or from the future) to be trusted.',
  });
  t.equal((await at(now + 60_000)).statusCode, 200, 'exactly a minute ahead');
  t.equal((await at(now + 60_001)).statusCode, 401, 'a millisecond more');
});

void t.test('an event of the wrong shape is refused (400); an event about nobody ends nothing', async (t) => {
  const user = await signedInUser();
  const now = Date.now();
  for (const [label, event] of [
    ['a createInstant that is no number', { type: 'user.delete', createInstant: 'yesterday', user: { id: user.id } }],
    ['a user id that is no string', { type: 'user.delete', createInstant: now, user: { id: 42 } }],
    [
      'a refresh token id that is no string',
      { type: 'jwt.refresh-token.revoke', createInstant: now, userId: user.id, refreshToken: { id: 7 } },
    ],
    ['no type', { createInstant: now, user: { id: user.id } }],
  ] as const) {
    const answer = await postEvent(event);
    t.equal(answer.statusCode, 400, label);
    t.match(answer.json(), { code: 'validation_failed', message: /^body\.event/ }, `${label}: said so`);
  }
  const nobody = await postEvent({ type: 'user.delete', createInstant: now });
  t.equal(nobody.statusCode, 200, 'a user event without its user is accepted');
  t.same(nobody.json(), { sessionsEnded: 0 }, 'and ends nothing');
  t.same(await statusesOf(user.browsers), [200, 200], 'both sessions survive them all');
});

void t.test('only a refresh-token revocation is limited to the token it names', async (t) => {
  const user = await signedInUser();
  const [session] = await hmacApp.sessionRecords.listForUser(user.id);
  t.ok(session?.record.refreshTokenId, 'the event names a refresh token one of the sessions holds');
  const answer = await postEvent({
    type: 'user.password.update',
    createInstant: Date.now(),
    user: { id: user.id },
    refreshToken: { id: session?.record.refreshTokenId ?? 'none' },
  });
  t.same(answer.json(), { sessionsEnded: 2 }, 'a password change ends every session, whatever else the event holds');
});

void t.test('an event at the very instant a session began ends it', async (t) => {
  const user = await signedInUser();
  const begun = (await hmacApp.sessionRecords.listForUser(user.id)).map(({ record }) => record.createdAt ?? 0);
  t.equal(begun.length, 2);
  const answer = await postEvent({
    type: 'user.password.update',
    createInstant: Math.max(...begun),
    user: { id: user.id },
  });
  t.same(answer.json(), { sessionsEnded: 2 }, 'the later session existed when the event happened');
});

void t.test('each revocation is logged with the user, the event and the count; an ignored event is not', async (t) => {
  const log = new LogCapture();
  const logged = await fixture.build({ FUSIONAUTH_WEBHOOK_SECRET: secret, LOG_LEVEL: 'info' }, { logStream: log });
  const user = await signedInUser();
  const send = async (event: Record<string, unknown>) => {
    const payload = JSON.stringify({ event });
    return post(payload, await sign(payload), 'application/json', logged);
  };
  await send({ type: 'user.update', createInstant: Date.now(), user: { id: user.id } });
  await send({ type: 'user.delete', createInstant: Date.now() });
  t.same(
    log.lines.filter((line) => line['event'] === 'sessions_revoked'),
    [],
    'events that end nothing log no revocation',
  );
  await send({ type: 'user.deactivate', createInstant: Date.now(), user: { id: user.id } });
  t.match(
    log.lines.filter((line) => line['event'] === 'sessions_revoked'),
    [
      {
        level: 30,
        userId: user.id,
        reason: 'user.deactivate',
        sessionsEnded: 2,
        msg: "FusionAuth ended a user's sessions",
      },
    ],
  );
});

void t.test('an app that parses JSON its own way still gets the exact bytes the signature covers', async (t) => {
  const ownParser: AppPlugin = async (app, options) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, JSON.parse(body as string));
    });
    await notesApp(app, options);
  };
  const custom = await buildBackend(
    ownParser,
    testConfig('STORE', standIn, { ...fixture.redis.environment, FUSIONAUTH_WEBHOOK_SECRET: secret }),
    { keyPrefix: fixture.redis.keyPrefix },
  );
  t.teardown(() => custom.close());
  const payload = JSON.stringify({ event: { type: 'user.update', createInstant: Date.now() } });
  const answer = await post(payload, await sign(payload), 'application/json', custom);
  t.equal(answer.statusCode, 200);
  t.same(answer.json(), { sessionsEnded: 0 });
});

void t.test("a start-up warning when no FusionAuth webhook reaches this app's origin", async (t) => {
  const elsewhere = new LogCapture();
  await fixture.build(
    { STORE_ORIGIN: 'http://localhost:3999', STORE_PORT: '3999', LOG_LEVEL: 'warn' },
    { logStream: elsewhere },
  );
  const aimed = new LogCapture();
  await fixture.build({ LOG_LEVEL: 'warn' }, { logStream: aimed });
  // Behind a proxy FusionAuth cannot reach, the app is told the address FusionAuth uses instead.
  const configured = new LogCapture();
  await fixture.build(
    {
      STORE_ORIGIN: 'https://store.example.com',
      STORE_WEBHOOK_URL: 'http://localhost:3000/api/fusionauth/webhook',
      STORE_PORT: '3999',
      LOG_LEVEL: 'warn',
    },
    { logStream: configured },
  );
  for (let waited = 0; waited < 50 && !elsewhere.all.includes('webhooks_elsewhere'); waited += 1) await sleep(20);
  t.match(elsewhere.all, /"event":"webhooks_elsewhere"/, 'warned, on another origin');
  t.match(
    elsewhere.all,
    /"webhookUrls":\["http:\/\/localhost:3000\/api\/fusionauth\/webhook","http:\/\/localhost:3001\/api\/fusionauth\/webhook"/,
    'naming where the events go',
  );
  t.match(
    elsewhere.all,
    /point one at http:\/\/localhost:3999\/api\/fusionauth\/webhook \(or set STORE_WEBHOOK_URL to the address FusionAuth reaches it at\)/,
  );
  await sleep(100);
  t.notMatch(aimed.all, /webhooks_elsewhere/, "not on the origin the kickstart's webhook names");
  t.notMatch(configured.all, /webhooks_elsewhere/, 'nor when STORE_WEBHOOK_URL names the webhook');
});

void t.test('each event counts in webhook_events_total by type and result, and what it ended by reason', async (t) => {
  const counted = await fixture.build({ FUSIONAUTH_WEBHOOK_SECRET: secret });
  const user = await signedInUser();
  const send = async (event: Record<string, unknown>, signed = true) => {
    const payload = JSON.stringify({ event });
    return post(payload, signed ? await sign(payload) : undefined, 'application/json', counted);
  };
  t.equal((await send({ type: 'user.delete', createInstant: Date.now() }, false)).statusCode, 401);
  t.equal(
    (await send({ type: 'user.deactivate', createInstant: Date.now() - 400_000, user: { id: user.id } })).statusCode,
    401,
  );
  t.equal((await send({ type: 'user.delete', createInstant: Date.now() })).statusCode, 200);
  t.same((await send({ type: 'user.deactivate', createInstant: Date.now(), user: { id: user.id } })).json(), {
    sessionsEnded: 2,
  });
  const values = async (name: string) =>
    ((await counted.metrics.registry.getSingleMetric(name)?.get())?.values ?? []).map(({ labels, value }) => ({
      labels,
      value,
    }));
  const byResult = (await values('webhook_events_total')).sort((a, b) =>
    String(a.labels['result']).localeCompare(String(b.labels['result'])),
  );
  t.same(byResult, [
    { labels: { type: 'user.deactivate', result: 'applied' }, value: 1 },
    { labels: { type: 'user.delete', result: 'ignored' }, value: 1 },
    { labels: { type: 'unverified', result: 'refused' }, value: 1 },
    { labels: { type: 'user.deactivate', result: 'stale' }, value: 1 },
  ]);
  t.same(await values('session_ends_total'), [{ labels: { reason: 'fusionauth_event' }, value: 2 }]);
});

void t.test(
  'the start-up check: listen addresses, trailing slashes, and a FusionAuth that does not answer',
  async (t) => {
    // A webhook aimed at a listen address of its own, written with trailing slashes.
    const webhookId = randomUUID();
    await fusionAuth.createWebhook(webhookId, {
      webhook: { url: 'http://192.0.2.10:3997/api/fusionauth/webhook//', global: true, eventsEnabled: {} as never },
    });
    t.teardown(() => fusionAuth.deleteWebhook(webhookId));
    const startsWith = async (environment: Record<string, string>) => {
      const log = new LogCapture();
      await fixture.build(
        { STORE_ORIGIN: 'https://store.example.com', LOG_LEVEL: 'warn', ...environment },
        { logStream: log },
      );
      await sleep(200);
      return log;
    };
    t.notMatch(
      (await startsWith({ HOST: '192.0.2.10', STORE_PORT: '3997' })).all,
      /webhooks_elsewhere/,
      'its listen address',
    );
    const everywhere = await startsWith({ HOST: '0.0.0.0', STORE_PORT: '3997' });
    t.match(
      everywhere.lines.find((line) => line['event'] === 'webhooks_elsewhere'),
      {
        expected: ['https://store.example.com/api/fusionauth/webhook', 'http://127.0.0.1:3997/api/fusionauth/webhook'],
      },
      'on every interface, the loopback address is what a FusionAuth beside it uses, and the log lists both',
    );
    t.notMatch(
      (await startsWith({ STORE_WEBHOOK_URL: 'http://localhost:3000/api/fusionauth/webhook//' })).all,
      /webhooks_elsewhere/,
      'a configured webhook URL with trailing slashes is the same URL',
    );
    const unanswered = await startsWith({ FUSIONAUTH_URL: 'http://127.0.0.1:1', STORE_PORT: '3999' });
    t.notMatch(unanswered.all, /webhooks_elsewhere/, 'FusionAuth not answering is no finding');
  },
);
