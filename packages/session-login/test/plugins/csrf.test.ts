import { Browser, buildBackend, testConfig, type AppPlugin } from '@native-login/test-support';
import t from 'tap';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { csrf, sessionLogin } from '../../src/index.js';
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
  // The message says which check refused the request, for whoever reads the answer or the log.
  const refusal = async (headers: Record<string, string>) =>
    (
      await app.inject({ method: 'POST', url: '/api/notes', headers: { ...json, cookie, ...headers }, payload: add })
    ).json<{
      message: string;
    }>().message;
  t.equal(await refusal({}), 'The request was refused: the X-CSRF header is missing.');
  t.equal(
    await refusal({ 'x-csrf': '1', origin: 'https://evil.example' }),
    'The request was refused: origin https://evil.example is not this app.',
  );
  t.equal(
    await refusal({ 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }),
    'The request was refused: it came from a cross-site page.',
  );
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

// The notes app has no route for PUT, PATCH or DELETE (nor OPTIONS) in the guarded scope, and an
// unrouted request never meets the guard (it is answered by the 404 handler): this app, on the same
// Redis and stand-in, has one for every method, which counts the requests that reach it.
let reached = 0;
const everyMethod: AppPlugin = async (instance, options) => {
  await instance.register(sessionLogin, {
    ...options,
    guardedRoutes: async (scope) => {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
        scope.route({
          method,
          url: '/api/notes/first',
          handler: async (_request, reply) => {
            reached += 1;
            return reply.code(204).send();
          },
        });
      }
    },
  });
};
const methodsApp = await buildBackend(
  everyMethod,
  testConfig('STORE', fixture.standIn, { ...fixture.redis.environment }),
  { keyPrefix: fixture.redis.keyPrefix },
);
t.teardown(() => methodsApp.close());

void t.test('CSRF: PUT, PATCH and DELETE are state-changing too', async (t) => {
  const browser = new Browser(methodsApp);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200, 'signed in');
  const cookie = browser.jar.header() ?? '';
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const refusals: Array<[string, Record<string, string>]> = [
      ['no X-CSRF header', { cookie }],
      ['a foreign Origin, even with X-CSRF: 1', { cookie, 'x-csrf': '1', origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site, even with X-CSRF: 1', { cookie, 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site, even with X-CSRF: 1', { cookie, 'x-csrf': '1', 'sec-fetch-site': 'same-site' }],
    ];
    for (const [label, headers] of refusals) {
      const before = reached;
      const response = await methodsApp.inject({ method, url: '/api/notes/first', headers });
      t.equal(response.statusCode, 403, `${method} with ${label}`);
      t.match(response.body, /"code":"csrf_rejected"/, `${method} with ${label}`);
      t.equal(reached, before, `${method} with ${label} never reached the route`);
    }
    const before = reached;
    const own = await methodsApp.inject({
      method,
      url: '/api/notes/first',
      headers: { cookie, 'x-csrf': '1', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    });
    t.equal(own.statusCode, 204, `${method} from the SPA itself gets through`);
    t.equal(reached, before + 1, `${method} from the SPA reached the route`);
  }
});

void t.test('CSRF: what the guard lets through', async (t) => {
  const browser = new Browser(methodsApp);
  await browser.login('shopper@example.com');
  const cookie = browser.jar.header() ?? '';
  // Reads change nothing: they need no X-CSRF header, and a link from another site may be followed.
  for (const method of ['GET', 'HEAD', 'OPTIONS'] as const) {
    for (const [label, headers] of [
      ['without X-CSRF', { cookie }],
      ['from a cross-site link', { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ] as const) {
      const before = reached;
      const response = await methodsApp.inject({ method, url: '/api/notes/first', headers });
      t.equal(response.statusCode, 204, `${method} ${label} is allowed`);
      t.equal(reached, before + 1, `${method} ${label} reached the route`);
    }
  }
  // `Sec-Fetch-Site: none` is a request the user started themselves (a typed address, a bookmark):
  // the guard lets it through, as it does a request with no Sec-Fetch-Site at all.
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const none = await methodsApp.inject({
      method,
      url: '/api/notes/first',
      headers: { cookie, 'x-csrf': '1', 'sec-fetch-site': 'none' },
    });
    t.equal(none.statusCode, 204, `${method} with Sec-Fetch-Site: none is allowed`);
  }
  const viaNotes = await app.inject({
    method: 'POST',
    url: '/api/notes',
    headers: {
      'content-type': 'application/json',
      cookie: (await signedInCookie()) ?? '',
      'x-csrf': '1',
      'sec-fetch-site': 'none',
    },
    payload: JSON.stringify({ text: 'Typed in the address bar' }),
  });
  t.equal(viaNotes.statusCode, 200, 'a POST with Sec-Fetch-Site: none is allowed');
  t.same(viaNotes.json(), { notes: ['Typed in the address bar'] }, 'and it changed the notes');
  // The request's own origin (the address it was sent to) is this app's too, beside the configured one.
  const addressed = await methodsApp.inject({
    method: 'DELETE',
    url: '/api/notes/first',
    headers: { cookie, 'x-csrf': '1', origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
  });
  t.equal(addressed.statusCode, 204, 'the origin the request was addressed to is allowed');
  const otherPort = await methodsApp.inject({
    method: 'DELETE',
    url: '/api/notes/first',
    headers: { cookie, 'x-csrf': '1', origin: 'http://localhost:8080' },
  });
  t.equal(otherPort.statusCode, 403, 'but another port of the same host is another origin');
});

/** A fresh user of the notes app, signed in: its cookie. */
async function signedInCookie() {
  const { email } = await fixture.standIn.registerUser({ applicationId: fixture.standIn.storeApplicationId });
  const browser = new Browser(app);
  await browser.login(email);
  return browser.jar.header();
}

void t.test('the plugin names itself and what it needs: registered without them, the app does not start', async (t) => {
  const lone = Fastify();
  t.teardown(() => lone.close());
  await t.rejects(async () => lone.register(csrf), {
    message: "The dependency 'app-config' of plugin 'csrf' is not registered",
  });
  const withConfig = Fastify();
  t.teardown(() => withConfig.close());
  await withConfig.register(fp(async () => undefined, { name: 'app-config' }));
  await t.rejects(async () => withConfig.register(csrf), {
    message: "The dependency 'error-answers' of plugin 'csrf' is not registered",
  });
});
