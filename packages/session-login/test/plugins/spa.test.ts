import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { build } from 'vite';
import errorAnswers from '../../src/plugins/error-answers.js';
import spa, { spaCachePolicy } from '../../src/plugins/spa.js';
import { precompressedAssets } from '../../src/vite.js';

// A small SPA built as the apps build theirs, with the library's own Vite plugin, so that what the
// build writes and what the server looks for are tested together.
const source = t.testdir({
  'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <title>Notes</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/main.js"></script>
  </body>
</html>
`,
  'main.js': `document.querySelector('#app').textContent = ${JSON.stringify('A note worth keeping. '.repeat(100))};\n`,
  public: {
    'favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${'<rect width="8" height="8" fill="#2f6f4f"/>'.repeat(8)}</svg>\n`,
  },
});
const webRoot = join(source, 'dist');
await build({
  root: source,
  configFile: false,
  logLevel: 'silent',
  plugins: [precompressedAssets()],
  build: { outDir: webRoot, emptyOutDir: true },
});
const script = `/assets/${readdirSync(join(webRoot, 'assets')).find((name) => name.endsWith('.js')) ?? ''}`;
const onDisk = (path: string) => readFileSync(join(webRoot, path));

async function serve(t: Test, root: string | undefined): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(errorAnswers);
  await app.register(spa, { webRoot: root });
  t.teardown(() => app.close());
  return app;
}

const app = await serve(t, webRoot);
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

void t.test(
  'the build writes a Brotli and a gzip copy beside each text file, the copied favicon included',
  async (t) => {
    for (const file of ['index.html', script.slice(1), 'favicon.svg']) {
      t.ok(existsSync(join(webRoot, `${file}.br`)), `${file}.br`);
      t.ok(existsSync(join(webRoot, `${file}.gz`)), `${file}.gz`);
    }
  },
);

void t.test('a script in Brotli, gzip or as it is, as the browser accepts, always saying it varies so', async (t) => {
  const original = onDisk(script);
  const cases: Array<[acceptEncoding: string | undefined, encoding: string | undefined]> = [
    ['gzip, deflate, br, zstd', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'gzip'],
    ['identity', undefined],
    ['deflate', undefined],
    [undefined, undefined],
  ];
  for (const [acceptEncoding, encoding] of cases) {
    const answer = await get(script, acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding });
    const label = acceptEncoding ?? 'no Accept-Encoding';
    t.equal(answer.statusCode, 200, label);
    t.equal(answer.headers['content-encoding'], encoding, `${label}: ${encoding ?? 'identity'}`);
    t.equal(answer.headers['vary'], 'accept-encoding', `${label}: Vary`);
    t.match(answer.headers['content-type'], /^application\/javascript/, `${label}: still a script`);
    t.equal(answer.headers['cache-control'], 'public, max-age=31536000, immutable', `${label}: cached for a year`);
    const decoded =
      encoding === 'br'
        ? brotliDecompressSync(answer.rawPayload)
        : encoding === 'gzip'
          ? gunzipSync(answer.rawPayload)
          : answer.rawPayload;
    t.ok(decoded.equals(original), `${label}: the original bytes`);
    t.equal(Number(answer.headers['content-length']), answer.rawPayload.length, `${label}: its own length`);
  }
});

void t.test('the page, and any SPA route that falls back to it, compressed and never cached', async (t) => {
  const page = onDisk('index.html');
  for (const url of ['/', '/index.html', '/notes/42']) {
    const answer = await get(url, { accept: 'text/html', 'accept-encoding': 'gzip, br' });
    t.equal(answer.statusCode, 200, url);
    t.equal(answer.headers['content-encoding'], 'br', `${url}: Brotli`);
    t.equal(answer.headers['vary'], 'accept-encoding', `${url}: Vary`);
    t.match(answer.headers['content-type'], /^text\/html/, `${url}: HTML`);
    t.equal(answer.headers['cache-control'], 'no-store', `${url}: never cached`);
    t.ok(brotliDecompressSync(answer.rawPayload).equals(page), `${url}: index.html`);
  }
  const plain = await get('/notes/42', { accept: 'text/html' });
  t.equal(plain.headers['content-encoding'], undefined, 'without Accept-Encoding: as it is');
  t.equal(plain.headers['vary'], 'accept-encoding');
  t.ok(plain.rawPayload.equals(page));
});

void t.test('the favicon: an SVG cached for a day, at /favicon.ico too', async (t) => {
  const icon = onDisk('favicon.svg');
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    const answer = await get(url, { accept: 'image/*' });
    t.equal(answer.statusCode, 200, url);
    t.equal(answer.headers['content-type'], 'image/svg+xml', `${url}: an SVG`);
    t.equal(answer.headers['cache-control'], 'public, max-age=86400', `${url}: a day`);
    t.ok(answer.rawPayload.equals(icon), url);
    const compressed = await get(url, { 'accept-encoding': 'gzip' });
    t.equal(compressed.headers['content-encoding'], 'gzip', `${url}: compressed`);
    t.equal(compressed.headers['content-type'], 'image/svg+xml', `${url}: compressed, still an SVG`);
    t.ok(gunzipSync(compressed.rawPayload).equals(icon), `${url}: compressed, the same icon`);
  }
});

void t.test('the compressed copies are no URLs of their own', async (t) => {
  for (const url of [`${script}.br`, `${script}.gz`, '/index.html.br']) {
    const answer = await get(url, { accept: '*/*' });
    t.equal(answer.statusCode, 404, url);
    t.match(answer.json(), { code: 'not_found' }, `${url}: the API's 404`);
  }
});

void t.test('without a favicon, or without an SPA, /favicon.ico is the API’s 404', async (t) => {
  const bare = t.testdir({ 'index.html': '<!doctype html><title>Bare</title>\n' });
  for (const root of [bare, undefined]) {
    const answer = await (await serve(t, root)).inject({ method: 'GET', url: '/favicon.ico' });
    t.equal(answer.statusCode, 404, root ?? 'no SPA');
    t.match(answer.json(), { code: 'not_found' });
  }
});

void t.test('the cache policy by path: a compressed copy as the file it stands for', async (t) => {
  t.equal(spaCachePolicy('/srv/web/assets/index-B6gm-ran.js.br'), 'public, max-age=31536000, immutable');
  t.equal(spaCachePolicy('/srv/web/assets/index-gQQO39Nq.css.gz'), 'public, max-age=31536000, immutable');
  t.equal(spaCachePolicy('/srv/web/index.html.br'), 'no-store');
  t.equal(spaCachePolicy('/srv/web/index.html'), 'no-store');
  t.equal(spaCachePolicy('/srv/web/favicon.svg.gz'), 'public, max-age=86400');
  t.equal(spaCachePolicy('/srv/web/assets/logo.svg'), 'public, max-age=86400', 'a name without a hash');
});
