import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, recordWebhookDeliveries } from '@native-login/test-support';
import { SignJWT } from 'jose';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

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

async function signedInUser() {
  const { id, email } = await standIn.registerUser({ applicationId: standIn.storeApplicationId });
  const phone = new Browser(app);
  const laptop = new Browser(app);
  await phone.login(email);
  await laptop.login(email);
  return { id, email, browsers: [phone, laptop] };
}

/** Polls until every browser is signed out (delivery is asynchronous), or gives up after 5 s. */
async function signedOut(browsers: Browser[]): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const statuses = await Promise.all(
      browsers.map(async (browser) => (await browser.send('GET', '/api/notes')).statusCode),
    );
    if (statuses.every((status) => status === 401)) return true;
    await sleep(100);
  }
  return false;
}

void t.test("FusionAuth events end the user's sessions in this app", async (t) => {
  const deactivated = await signedInUser();
  await fusionAuth.deactivateUser(deactivated.id);
  t.ok(await signedOut(deactivated.browsers), 'user.deactivate');

  const deleted = await signedInUser();
  await fusionAuth.deleteUser(deleted.id);
  t.ok(await signedOut(deleted.browsers), 'user.delete');

  const changed = await signedInUser();
  await fusionAuth.patchUser(changed.id, { user: { password: 'a-brand-new-password' } });
  t.ok(await signedOut(changed.browsers), 'user.password.update');

  const revoked = await signedInUser();
  await fusionAuth.revokeRefreshTokensByUserIdForApplication(revoked.id, standIn.storeApplicationId);
  t.ok(await signedOut(revoked.browsers), 'jwt.refresh-token.revoke for this application');

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
});

void t.test("events that do not concern this app's sessions leave them alone", async (t) => {
  const user = await signedInUser();
  // The user also signs in to the forum: FusionAuth only announces a revocation of tokens that exist.
  await fusionAuth.register(user.id, { registration: { applicationId: standIn.forumApplicationId } });
  const forumLogin = await fusionAuth.login({
    loginId: user.email,
    password: 'password123',
    applicationId: standIn.forumApplicationId,
  });
  t.ok(forumLogin.response.refreshToken, 'the user holds a forum refresh token');
  await fusionAuth.revokeRefreshTokensByUserIdForApplication(user.id, standIn.forumApplicationId);
  const harmless = randomUUID();
  await fusionAuth.createUserAction(harmless, { userAction: { name: `note ${harmless}`, temporal: false } });
  const action = await fusionAuth.actionUser({
    action: {
      actioneeUserId: user.id,
      actionerUserId: actionerId,
      userActionId: harmless,
    },
  });
  // Nothing happening means something only once the app has answered both events.
  const forumRevocation = await deliveries.waitFor(
    (event) =>
      event['type'] === 'jwt.refresh-token.revoke' &&
      event['userId'] === user.id &&
      event['applicationId'] === standIn.forumApplicationId,
    "the revocation of the user's forum refresh tokens",
  );
  t.equal(forumRevocation.statusCode, 200, 'the forum revocation was accepted');
  t.same(forumRevocation.answer, { sessionsEnded: 0 }, 'the forum revocation ended no session');
  const note = await deliveries.waitFor(
    (event) => event['type'] === 'user.action' && event['actionId'] === action.response.action?.id,
    'the user.action that does not prevent login',
  );
  t.equal(note.statusCode, 200, 'the harmless action was accepted');
  t.same(note.answer, { sessionsEnded: 0 }, 'the harmless action ended no session');
  for (const browser of user.browsers) t.equal((await browser.send('GET', '/api/notes')).statusCode, 200);
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

void t.test('unsigned, mis-signed, altered and stale events are refused', async (t) => {
  const secret = 'a-webhook-secret-of-at-least-32-characters';
  const hmacApp = await fixture.build({ FUSIONAUTH_WEBHOOK_SECRET: secret });
  const body = (createInstant = Date.now()) =>
    JSON.stringify({ event: { type: 'user.deactivate', createInstant, user: { id: randomUUID() } } });
  const sign = async (payload: string, key = secret) =>
    new SignJWT({ request_body_sha256: createHash('sha256').update(payload).digest('base64') })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(key));
  const post = (payload: string, signature?: string) =>
    hmacApp.inject({
      method: 'POST',
      url: '/api/fusionauth/webhook',
      headers: { 'content-type': 'application/json', ...(signature && { 'x-fusionauth-signature-jwt': signature }) },
      payload,
    });

  const good = body();
  const accepted = await post(good, await sign(good));
  t.equal(accepted.statusCode, 200, 'signed with the secret');
  t.same(accepted.json(), { sessionsEnded: 0 });

  t.match((await post(good)).json(), { code: 'webhook_unsigned' });
  t.equal((await post(good)).statusCode, 401);
  t.match((await post(good, await sign(good, 'another-secret-of-at-least-32-characters'))).json(), {
    code: 'webhook_signature_invalid',
  });
  t.match(
    (await post(good.replace('deactivate', 'delete'), await sign(good))).json(),
    { code: 'webhook_signature_invalid' },
    'altered',
  );
  t.match((await post(good, 'not-a-jwt')).json(), { code: 'webhook_signature_invalid' });
  const stale = body(Date.now() - 10 * 60_000);
  const old = await post(stale, await sign(stale));
  t.equal(old.statusCode, 401);
  t.match(old.json(), { code: 'webhook_stale' });
  const nonsense = '{"event": 5}';
  t.equal((await post(nonsense, await sign(nonsense))).statusCode, 400, 'signed but not an event');
});
