import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

void t.test('the built SPA is served compressed as the browser accepts, and decompresses to the build', async (t) => {
  const page = await readFile(`${webRoot}/index.html`);
  const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(page.toString())?.[1] ?? '';
  t.match(entry, /^\/assets\/index-[\w-]+\.js$/, 'the entry script');
  const script = await readFile(`${webRoot}${entry}`);
  const decoders = { br: brotliDecompressSync, gzip: gunzipSync, identity: (bytes: Buffer) => bytes };
  for (const [acceptEncoding, encoding] of [
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['identity', 'identity'],
  ] as const) {
    const answer = await app.inject({ method: 'GET', url: entry, headers: { 'accept-encoding': acceptEncoding } });
    t.equal(answer.statusCode, 200);
    t.equal(answer.headers['content-encoding'], encoding === 'identity' ? undefined : encoding, acceptEncoding);
    t.equal(answer.headers['vary'], 'accept-encoding', `${acceptEncoding}: Vary`);
    t.equal(answer.headers['cache-control'], 'public, max-age=31536000, immutable', `${acceptEncoding}: a year`);
    t.ok(decoders[encoding](answer.rawPayload).equals(script), `${acceptEncoding}: the built script`);
  }

  for (const url of ['/', '/cart']) {
    const answer = await app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' },
    });
    t.equal(answer.statusCode, 200, url);
    t.equal(answer.headers['content-encoding'], 'br', `${url}: compressed`);
    t.equal(answer.headers['vary'], 'accept-encoding', `${url}: Vary`);
    t.equal(answer.headers['cache-control'], 'no-store', `${url}: never cached`);
    t.ok(brotliDecompressSync(answer.rawPayload).equals(page), `${url}: index.html`);
  }
});

void t.test("the Store's icon and theme colours, allowed by the page's policy", async (t) => {
  const page = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  t.match(page.body, '<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
  t.match(page.body, /<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: light\)" \/>/);
  t.match(page.body, /<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: dark\)" \/>/);
  t.match(page.headers['content-security-policy'], /img-src 'self'/);
  const icon = await readFile(`${webRoot}/favicon.svg`);
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    const answer = await app.inject({ method: 'GET', url, headers: { accept: 'image/avif,image/webp,*/*' } });
    t.equal(answer.statusCode, 200, url);
    t.equal(answer.headers['content-type'], 'image/svg+xml', `${url}: an SVG`);
    t.equal(answer.headers['cache-control'], 'public, max-age=86400', `${url}: cached for a day`);
    t.ok(answer.rawPayload.equals(icon), `${url}: the Store's icon`);
  }
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
