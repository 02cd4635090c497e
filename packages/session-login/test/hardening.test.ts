import { Browser, LogCapture, sessionIdOf } from '@native-login/test-support';
import t from 'tap';
import type { SignedIn } from '../src/index.js';
import { notesFixture } from './support/notes-app.js';

const fixture = await notesFixture(t);
const app = await fixture.build();

void t.test('session ids: 1,000 logins give 1,000 distinct ids of at least 128 random bits', async (t) => {
  const ids = new Set<string>();
  for (let login = 0; login < 1_000; login += 1) {
    const browser = new Browser(app);
    await browser.login('storeonly@example.com');
    ids.add(sessionIdOf(browser.jar.get('store_session') ?? ''));
  }
  t.equal(ids.size, 1_000);
  for (const id of [...ids].slice(0, 20)) t.ok(Buffer.from(id, 'base64url').length >= 16, 'at least 16 bytes');
});

void t.test('the log of a whole visit holds no password, cookie, session id, JWT or refresh token', async (t) => {
  const log = new LogCapture();
  const traced = await fixture.build({ LOG_LEVEL: 'trace' }, { logStream: log });
  const browser = new Browser(traced);
  const login = await browser.login('shopper@example.com');
  await browser.send('POST', '/api/notes', { text: 'Buy more sencha' });
  await browser.send('GET', '/api/sessions');
  const cookie = decodeURIComponent(browser.jar.get('store_session') ?? '');
  const refreshTokens = fixture.standIn.refreshTokensOf(login.json<SignedIn>().user.id);
  await browser.send('POST', '/api/logout');
  await new Browser(traced).login('shopper@example.com', 'a-wrong-password');

  t.ok(log.lines.length > 10, `${log.lines.length} lines logged at trace level`);
  t.notOk(log.all.includes('password123') || log.all.includes('a-wrong-password'), 'no password');
  t.notOk(log.all.includes(cookie), 'no cookie value');
  t.notOk(log.all.includes(sessionIdOf(cookie)), 'no session id');
  t.notMatch(log.all, /eyJ[\w-]+\.eyJ[\w-]+/, 'no JWT');
  t.ok(refreshTokens.length > 0);
  for (const token of refreshTokens) t.notOk(log.all.includes(token), 'no refresh token');
  for (const event of ['login_succeeded', 'logout', 'login_failed']) {
    t.match(
      log.lines.find((line) => line['event'] === event),
      { userId: event === 'login_failed' ? undefined : String, ip: '127.0.0.1' },
      event,
    );
  }
});

void t.test('wrong methods on every route are 404 JSON, never a 5xx', async (t) => {
  const routes = [
    '/api/login',
    '/api/login/two-factor',
    '/api/logout',
    '/api/user',
    '/api/sessions',
    '/api/sessions/a-session-handle',
    '/api/hello',
    '/api/notes',
    '/api/fusionauth/webhook',
    '/healthz',
    '/readyz',
    '/api/openapi.json',
    '/api/docs',
  ];
  const allowed = new Set([
    'POST /api/login',
    'POST /api/login/two-factor',
    'POST /api/logout',
    'GET /api/user',
    'GET /api/sessions',
    'DELETE /api/sessions',
    'DELETE /api/sessions/a-session-handle',
    'GET /api/hello',
    'GET /api/notes',
    'POST /api/notes',
    'POST /api/fusionauth/webhook',
    'GET /healthz',
    'GET /readyz',
    'GET /api/openapi.json',
    'GET /api/docs',
    'HEAD /api/user',
    'HEAD /api/sessions',
    'HEAD /api/hello',
    'HEAD /api/notes',
    'HEAD /healthz',
    'HEAD /readyz',
    'HEAD /api/openapi.json',
    'HEAD /api/docs',
  ]);
  for (const url of routes) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      if (allowed.has(`${method} ${url}`)) continue;
      const response = await app.inject({ method, url, headers: { 'x-csrf': '1' } });
      t.equal(response.statusCode, 404, `${method} ${url}`);
      t.match(response.json(), { code: 'not_found' });
    }
  }
});
