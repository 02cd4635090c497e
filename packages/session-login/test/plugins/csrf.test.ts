import { Browser } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const app = await fixture.build();

void t.test('CSRF: every state-changing request needs X-CSRF: 1, the own origin, and JSON', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const cookie = browser.jar.header() ?? '';
  const json = { 'content-type': 'application/json' };
  const add = JSON.stringify({ text: 'Buy more sencha' });
  const cases: Array<[string, Record<string, string>, string | undefined, number]> = [
    ['no X-CSRF header', { ...json, cookie }, add, 403],
    ['X-CSRF with another value', { ...json, cookie, 'x-csrf': 'yes' }, add, 403],
    ['a foreign Origin', { ...json, cookie, 'x-csrf': '1', origin: 'https://evil.example' }, add, 403],
    ['Sec-Fetch-Site: cross-site', { ...json, cookie, 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }, add, 403],
    ['Sec-Fetch-Site: same-site', { ...json, cookie, 'x-csrf': '1', 'sec-fetch-site': 'same-site' }, add, 403],
    ['a text/plain body', { 'content-type': 'text/plain', cookie, 'x-csrf': '1' }, add, 415],
    [
      'a form body',
      { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-csrf': '1' },
      'text=Buy+more+sencha',
      415,
    ],
  ];
  for (const [label, headers, payload, status] of cases) {
    const response = await app.inject({ method: 'POST', url: '/api/notes', headers, payload });
    t.equal(response.statusCode, status, label);
    if (status === 403) t.match(response.json(), { code: 'csrf_rejected' }, label);
  }
  const own = await app.inject({
    method: 'POST',
    url: '/api/notes',
    headers: { ...json, cookie, 'x-csrf': '1', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    payload: add,
  });
  t.equal(own.statusCode, 200, 'the SPA itself gets through');
  t.same(
    (await browser.send('GET', '/api/notes')).json(),
    { notes: ['Buy more sencha'] },
    'and only that one request changed the notes',
  );

  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: json,
    payload: { loginId: 'a', password: 'b' },
  });
  t.equal(login.statusCode, 403, 'the login itself too');
  const logout = await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
  t.equal(logout.statusCode, 403, 'and logout: a cross-site page cannot sign the user out');
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'the session survived the forged logout');
});

void t.test('no CORS for other origins', async (t) => {
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/notes',
    headers: {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-csrf',
    },
  });
  t.notOk(preflight.headers['access-control-allow-origin'], 'no preflight is granted');
  const read = await app.inject({ method: 'GET', url: '/api/hello', headers: { origin: 'https://evil.example' } });
  t.notOk(read.headers['access-control-allow-origin']);
  t.notOk(read.headers['access-control-allow-credentials']);
});
