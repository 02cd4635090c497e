import { Browser, sessionIdOf } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { hashSessionId, type SessionList, type SignedIn } from '../../src/index.js';
import { notesFixture } from '../support/notes-app.js';
import { commandsOf } from '../support/redis.js';

const fixture = await notesFixture(t);
const app = await fixture.build();
const fusionAuth = fixture.standIn.client;

/** A browser with its own address and user agent, signed in as `email`. */
async function device(instance: FastifyInstance, email: string, ip: string, userAgent: string) {
  const browser = new Browser(instance);
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const cookie = browser.jar.header();
    return instance
      .inject({
        method,
        url,
        remoteAddress: ip,
        headers: {
          'x-csrf': '1',
          'user-agent': userAgent,
          ...(cookie && { cookie }),
          ...(payload !== undefined && { 'content-type': 'application/json' }),
        },
        ...(payload !== undefined && { payload: JSON.stringify(payload) }),
      })
      .then((response) => {
        browser.jar.store(response);
        return response;
      });
  };
  const login = await send('POST', '/api/login', { loginId: email, password: 'password123' });
  const handle = hashSessionId(sessionIdOf(browser.jar.get('store_session') ?? ''));
  return { send, userId: login.json<SignedIn>().user.id, handle, cookie: browser.jar.get('store_session') ?? '' };
}

const storeTokens = async (userId: string) =>
  ((await fusionAuth.retrieveRefreshTokens(userId)).response.refreshTokens ?? []).filter(
    (token) => token.applicationId === fixture.standIn.storeApplicationId,
  );

void t.test("a user's sessions: listed without ids, one ended, all the others ended", async (t) => {
  const laptop = await device(app, 'shopper@example.com', '203.0.113.10', 'Laptop Browser/1.0');
  const phone = await device(app, 'shopper@example.com', '203.0.113.20', 'Phone Browser/2.0');
  const tablet = await device(app, 'shopper@example.com', '203.0.113.30', 'Tablet Browser/3.0');
  const stranger = await device(app, 'storeonly@example.com', '203.0.113.40', 'Other/1.0');

  const listed = await laptop.send('GET', '/api/sessions');
  t.equal(listed.statusCode, 200);
  const { sessions } = listed.json<{ sessions: Array<Record<string, unknown>> }>();
  t.equal(sessions.length, 3, "only this user's sessions");
  t.match(sessions[0], {
    id: laptop.handle,
    current: true,
    ip: '203.0.113.10',
    userAgent: 'Laptop Browser/1.0',
    createdAt: String,
    lastSeenAt: String,
  });
  t.same(
    sessions.map((session) => session.current),
    [true, false, false],
  );
  for (const cookie of [laptop.cookie, phone.cookie, tablet.cookie]) {
    t.notOk(listed.body.includes(sessionIdOf(cookie)), 'no session id in the list');
  }

  const tokensBefore = (await storeTokens(phone.userId)).length;
  t.equal((await laptop.send('DELETE', `/api/sessions/${phone.handle}`)).statusCode, 204);
  t.equal((await phone.send('GET', '/api/notes')).statusCode, 401, 'the phone is signed out');
  t.equal((await storeTokens(phone.userId)).length, tokensBefore - 1, 'and its refresh token revoked');
  t.equal((await laptop.send('DELETE', `/api/sessions/${phone.handle}`)).statusCode, 404, 'ending it twice');
  t.equal((await laptop.send('DELETE', `/api/sessions/${stranger.handle}`)).statusCode, 404, "another user's session");
  t.equal((await stranger.send('GET', '/api/notes')).statusCode, 200, 'which lives on');

  t.equal((await laptop.send('DELETE', '/api/sessions')).statusCode, 204);
  t.equal((await tablet.send('GET', '/api/notes')).statusCode, 401, 'the other devices are signed out');
  t.equal((await laptop.send('GET', '/api/notes')).statusCode, 200, 'this one is not');
  t.equal((await laptop.send('GET', '/api/sessions')).json<SessionList>().sessions.length, 1);

  t.equal((await laptop.send('DELETE', `/api/sessions/${laptop.handle}`)).statusCode, 204, 'ending the current one...');
  t.equal((await laptop.send('GET', '/api/notes')).statusCode, 401, '...signs out here');
  t.equal((await new Browser(app).send('GET', '/api/sessions')).statusCode, 401, 'the list needs a session');
});

void t.test("logout everywhere: every session in this app, and FusionAuth's refresh tokens for it", async (t) => {
  const a = await device(app, 'storeonly@example.com', '203.0.113.60', 'A/1');
  const b = await device(app, 'storeonly@example.com', '203.0.113.61', 'B/1');
  t.ok((await storeTokens(a.userId)).length >= 2);
  t.equal((await a.send('POST', '/api/logout', { everywhere: true })).statusCode, 204);
  t.equal((await b.send('GET', '/api/notes')).statusCode, 401, 'the other device is signed out too');
  t.equal((await a.send('GET', '/api/notes')).statusCode, 401);
  t.same(await storeTokens(a.userId), [], 'no Store refresh token left in FusionAuth');
});

void t.test('regression: ending the current session from the list ends it once, and clears its cookie', async (t) => {
  const phone = await device(app, 'shopper@example.com', '203.0.113.70', 'Phone/1');
  const recordKey = `${fixture.redis.keyPrefix}session:${phone.handle}`;
  const client = app.storage.redis;
  if (!client) throw new Error('the app runs on Redis');
  let ended: Awaited<ReturnType<typeof phone.send>> | undefined;
  const sent = await commandsOf(fixture.redis, client, async () => {
    ended = await phone.send('DELETE', `/api/sessions/${phone.handle}`);
  });
  t.equal(ended?.statusCode, 204);
  t.match(String(ended?.headers['set-cookie']), /store_session=;/, 'the cookie is cleared');
  const touched = sent.filter(([, ...rest]) => rest.includes(recordKey)).map(([command]) => command);
  t.same(touched, ['GET', 'MGET', 'DEL'], 'read with the request, listed, and deleted once');
  t.equal(await fixture.redis.client.exists(recordKey), 0);
});
