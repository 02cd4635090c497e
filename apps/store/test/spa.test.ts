import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { storeFixture } from './support.js';

// `npm test` builds the SPA first (npm run build), as `npm start` does.
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));
const fixture = await storeFixture(t);
const app = await fixture.build();

void t.test('the built SPA is served: index.html never cached, hashed assets cached for a year', async (t) => {
  if (!existsSync(`${webRoot}/index.html`)) {
    t.fail(`${webRoot} is not built: run npm run build (npm test does)`);
    return;
  }
  const index = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  t.equal(index.statusCode, 200);
  t.match(index.headers['content-type'], /text\/html/);
  t.equal(index.headers['cache-control'], 'no-store');
  t.match(index.body, '<div id="app"></div>');

  const [asset] = (await readdir(`${webRoot}/assets`)).filter((name) => name.endsWith('.js'));
  const script = await app.inject({ method: 'GET', url: `/assets/${asset}` });
  t.equal(script.statusCode, 200);
  t.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
});

void t.test("the SPA's own routes load index.html; unknown API routes stay JSON 404s", async (t) => {
  const page = await app.inject({
    method: 'GET',
    url: '/cart',
    headers: { accept: 'text/html,application/xhtml+xml' },
  });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['cache-control'], 'no-store');
  t.match(page.body, '<div id="app"></div>');

  const api = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { accept: 'text/html' } });
  t.equal(api.statusCode, 404);
  t.equal((await app.inject({ method: 'GET', url: '/api', headers: { accept: 'text/html' } })).statusCode, 404);
  t.match(api.json(), { code: 'not_found' });
  const missingAsset = await app.inject({ method: 'GET', url: '/assets/nothing.js', headers: { accept: '*/*' } });
  t.equal(missingAsset.statusCode, 404, 'a missing script is not answered with HTML');
});

void t.test('every API answer of a signed-in user says how long the session has left', async (t) => {
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    payload: { loginId: 'shopper@example.com', password: 'password123' },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  // The sign-in answer itself says so: the SPA takes the deadlines from it, not from GET /api/user.
  t.ok(Number(login.headers['x-session-expires-in']) > 1_795_000, 'the sign-in answer has the idle deadline');
  t.ok(Number(login.headers['x-session-ends-in']) > 43_195_000, 'and the absolute one');
  const cart = await app.inject({ method: 'GET', url: '/api/cart', headers: { cookie } });
  const left = Number(cart.headers['x-session-expires-in']);
  t.ok(left > 1_795_000 && left <= 1_800_000, `the idle timeout, half an hour (${left} ms) away`);
  const ends = Number(cart.headers['x-session-ends-in']);
  t.ok(ends > 43_195_000 && ends <= 43_200_000, `the absolute lifetime, twelve hours (${ends} ms) away`);
  const visitor = await app.inject({ method: 'GET', url: '/api/products' });
  t.notOk(visitor.headers['x-session-expires-in']);
  t.notOk(visitor.headers['x-session-ends-in']);
});
