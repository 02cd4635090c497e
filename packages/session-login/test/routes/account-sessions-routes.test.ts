import { Browser, sessionIdOf } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { hashSessionId, type SessionList, type SignedIn } from '../../src/index.js';
import { notesFixture } from '../support/notes-app.js';
import { commandsOf, sessionKey } from '../support/redis.js';

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
  const recordKey = sessionKey(fixture.redis, phone.cookie);
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
  t.equal(recordKey.split(':').at(-1), phone.handle, 'the key the handle names');
  t.equal(await fixture.redis.client.exists(recordKey), 0);
});

void t.test('a sign-in beyond SESSIONS_PER_USER ends the oldest session, with its refresh token', async (t) => {
  const limited = await fixture.build({ SESSIONS_PER_USER: '3' }, { keyPrefix: `${fixture.redis.keyPrefix}limited:` });
  const devices = [];
  for (let index = 0; index < 5; index += 1) {
    devices.push(await device(limited, 'storeonly@example.com', `203.0.113.${100 + index}`, `Device/${index}`));
  }
  const statuses = await Promise.all(devices.map(async (each) => (await each.send('GET', '/api/notes')).statusCode));
  t.same(statuses, [401, 401, 200, 200, 200], 'the two oldest ended as the fourth and fifth signed in');
  const [newest] = devices.slice(-1);
  const listed = (await newest?.send('GET', '/api/sessions'))?.json<SessionList>();
  t.equal(listed?.total, 3);
  t.same(
    listed?.sessions.map(({ userAgent }) => userAgent).sort(),
    ['Device/2', 'Device/3', 'Device/4'].map((agent) => `${agent}`).sort(),
  );
});

void t.test('GET /api/sessions pages: limit and offset, the total, and where the next page starts', async (t) => {
  const paged = await fixture.build({}, { keyPrefix: `${fixture.redis.keyPrefix}paged:` });
  const devices = [];
  for (let index = 0; index < 5; index += 1) {
    devices.push(await device(paged, 'shopper@example.com', `198.51.100.${10 + index}`, `Pager/${index}`));
  }
  const reader = devices[0];
  if (!reader) throw new Error('five devices');
  const page = async (query: string) => (await reader.send('GET', `/api/sessions${query}`)).json<SessionList>();
  const first = await page('?limit=2');
  t.equal(first.sessions.length, 2);
  t.equal(first.total, 5);
  t.equal(first.nextOffset, 2);
  t.equal(first.sessions[0]?.current, true, 'the current session comes first');
  const second = await page('?limit=2&offset=2');
  const last = await page('?limit=2&offset=4');
  t.equal(last.sessions.length, 1);
  t.equal(last.nextOffset, undefined, 'the last page says there is no next one');
  t.same(
    new Set([...first.sessions, ...second.sessions, ...last.sessions].map(({ id }) => id)).size,
    5,
    'the pages hold every session once',
  );
  t.equal((await page('')).sessions.length, 5, 'by default, up to 50 at once');
  for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?limit=many']) {
    const refused = await reader.send('GET', `/api/sessions${query}`);
    t.equal(refused.statusCode, 400, query);
    t.match(refused.json(), { code: String, message: String });
  }
});

void t.test('"end all other sessions": every record at once, the refresh tokens a few at a time', async (t) => {
  const many = await fixture.build({}, { keyPrefix: `${fixture.redis.keyPrefix}many:` });
  const devices = [];
  for (let index = 0; index < 24; index += 1) {
    devices.push(await device(many, 'storeonly@example.com', `192.0.2.${10 + index}`, `Many/${index}`));
  }
  const keeper = devices.at(-1);
  if (!keeper) throw new Error('24 devices');
  const gateway = many.fusionAuth;
  const revoke = gateway.revokeRefreshToken.bind(gateway);
  let inFlight = 0;
  let most = 0;
  let calls = 0;
  gateway.revokeRefreshToken = async (refreshTokenId: string) => {
    calls += 1;
    inFlight += 1;
    most = Math.max(most, inFlight);
    try {
      return await revoke(refreshTokenId);
    } finally {
      inFlight -= 1;
    }
  };
  t.teardown(() => {
    gateway.revokeRefreshToken = revoke;
  });
  const tokensBefore = (await storeTokens(keeper.userId)).length;
  t.equal((await keeper.send('DELETE', '/api/sessions')).statusCode, 204);
  t.equal(calls, 23, 'one revocation per other session');
  t.ok(most > 1 && most <= 8, `at most 8 revocations at once (${most})`);
  t.equal((await storeTokens(keeper.userId)).length, tokensBefore - 23, 'every other refresh token is revoked');
  t.equal((await keeper.send('GET', '/api/sessions')).json<SessionList>().total, 1, 'only this session is left');
  const statuses = await Promise.all(
    devices.slice(0, -1).map(async (each) => (await each.send('GET', '/api/notes')).statusCode),
  );
  t.ok(
    statuses.every((status) => status === 401),
    'every other device is signed out',
  );
});
