import t from 'tap';
import { localReturnPath, withLoginError } from '../../src/oauth/return-to.js';
import { oauthLoginQuery } from '../../src/schemas/oauth.js';

/**
 * Where a sign-in may send the browser back to, as a function: every way a `returnTo` can leave
 * the app (a protocol-relative URL, once dot segments collapse or percent-escapes decode, a scheme,
 * a backslash, a control character) or land on the API falls back to `/`; a path of the SPA is kept.
 */
const origin = 'http://localhost:3000';
const returnPath = (candidate: string | undefined) => localReturnPath(candidate, origin);

/** Inputs that must never leave the app, nor reach the API (decoded as the router decodes them). */
const nasty = [
  // Dot segments that collapse into a protocol-relative URL.
  '/.//evil.example',
  '/.//evil.example/phish',
  '/%2e//evil.example',
  '/%2E//evil.example',
  '/..//evil.example',
  '/%2e%2e//evil.example',
  '/.%2e//evil.example',
  '/a/..//evil.example/x',
  '/a/%2e%2e//evil.example/x',
  '/a/b/../..//evil.example',
  '/././/evil.example',
  // Protocol-relative, backslashes (browsers read them as slashes), and control characters.
  '//evil',
  '//evil.example/x',
  '///evil.example',
  '/\\evil',
  '/\\/evil.example',
  '\\\\evil.example',
  '/%5Cevil',
  '/%5C/evil.example',
  '/\tevil',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '/%0a/evil',
  '/%0d%0a/evil',
  '/%09/evil.example',
  '/%00/evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  // Schemes, and no path at all.
  'https://evil.example',
  'http://localhost:3000.evil.example/',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  // The API, however spelt.
  '/api',
  '/api/',
  '/api?x=1',
  '/api#x',
  '/api/user',
  '/api/oauth/frontchannel-logout',
  '/%61pi/oauth/frontchannel-logout',
  '/ap%69/user',
  '/%61%70%69',
  '/api%2Fuser',
  '/x/../api/user',
  '/x/%2e%2e/api/user',
  '/./api/logout',
  // Escapes that do not decode.
  '/%E0%A4%A',
  '/%',
  '/%zz',
  '/a%E0%A4%A/b',
];

void t.test('returnTo that leaves the app, or names the API, falls back to /', async (t) => {
  for (const candidate of nasty) t.equal(returnPath(candidate), '/', JSON.stringify(candidate));
  t.equal(returnPath(undefined), '/', 'no returnTo at all');
});

void t.test('dot segments are checked after they collapse, not before', async (t) => {
  for (const candidate of ['/.//evil.example', '/%2e//evil.example', '/a/..//evil.example/x']) {
    // What the URL parser makes of them: a path that a browser would read as another host.
    const parsed = new URL(candidate, origin);
    t.ok(parsed.pathname.startsWith('//'), `${candidate} parses as ${parsed.pathname}`);
    t.equal(returnPath(candidate), '/', candidate);
  }
});

void t.test('the API is refused as the router reads it: decoded, and case-sensitive', async (t) => {
  t.equal(returnPath('/%61pi/oauth/frontchannel-logout'), '/', '%61 is a');
  t.equal(returnPath('/ap%69/user'), '/', '%69 is i');
  t.equal(returnPath('/api'), '/');
  t.equal(returnPath('/api/'), '/');
  // Fastify's router is case-sensitive: /API is a page of the SPA, never the API.
  t.equal(returnPath('/API/x'), '/API/x', '/API is not /api');
  t.equal(returnPath('/Api'), '/Api');
  t.equal(returnPath('/apiary'), '/apiary', 'a path that only begins with the letters');
  t.equal(returnPath('/apis/x'), '/apis/x');
  t.equal(returnPath('/shop/api/x'), '/shop/api/x', 'an api segment further down');
});

void t.test('a path of the app is kept, with its search and hash', async (t) => {
  t.equal(returnPath('/'), '/');
  t.equal(returnPath('/cart?x=1#top'), '/cart?x=1#top');
  t.equal(returnPath('/posts/new'), '/posts/new');
  t.equal(returnPath('/posts/7?sort=new#reply'), '/posts/7?sort=new#reply');
  t.equal(returnPath('/a/b/../c'), '/a/c', 'dot segments that stay on a path collapse');
  t.equal(returnPath('/search?q=//evil.example'), '/search?q=//evil.example', 'a query may hold slashes');
  t.equal(returnPath('/docs#//evil.example'), '/docs#//evil.example', 'and so may a hash');
  t.equal(returnPath('/caf%C3%A9'), '/caf%C3%A9', 'a percent-escape that decodes is kept as it came');
  t.equal(returnPath('/a b'), '/a%20b', 'a space is escaped');
});

void t.test('a 3 kB path: kept by the function when harmless, and refused by the route’s schema', async (t) => {
  const long = `/${'a'.repeat(3000)}`;
  t.equal(returnPath(long), long, 'length is not the function’s business');
  t.equal(returnPath(`/.${'/'.repeat(3000)}evil.example`), '/', 'nor does length hide a protocol-relative URL');
  t.equal(returnPath(`/${'x/'.repeat(1500)}${'../'.repeat(1500)}/evil.example`), '/', 'nor dot segments');
  t.equal(oauthLoginQuery.parse({ returnTo: long }).returnTo, undefined, 'over 2048 characters: no returnTo');
});

void t.test('no result ever begins with // or parses to another origin, whatever the input', async (t) => {
  const variants = nasty.flatMap((candidate) => [
    candidate,
    `${candidate}?x=1#y`,
    `/a/..${candidate}`,
    `/.${candidate}`,
    `/%2e${candidate}`,
    candidate.toUpperCase(),
  ]);
  for (const candidate of variants) {
    const result = returnPath(candidate);
    const label = `${JSON.stringify(candidate)} → ${JSON.stringify(result)}`;
    t.ok(result.startsWith('/') && !result.startsWith('//'), `${label}: a path`);
    t.notOk(result.includes('\\'), `${label}: no backslash`);
    t.notOk(
      [...result].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f),
      `${label}: no control character`,
    );
    t.equal(new URL(result, origin).origin, origin, `${label}: stays here`);
    t.equal(new URL(result, 'https://other.example').origin, 'https://other.example', `${label}: relative`);
    let decoded = result;
    try {
      decoded = decodeURIComponent(new URL(result, origin).pathname);
    } catch {
      // An escape that does not decode: the router would not route it to the API either.
    }
    t.notOk(decoded === '/api' || decoded.startsWith('/api/') || decoded.startsWith('//'), `${label}: not the API`);
    // What the callback redirects to on a refusal is built from it: that stays here too.
    const withError = withLoginError(result, 'sign_in_failed');
    t.ok(withError.startsWith('/') && !withError.startsWith('//'), `${label}: with login_error too`);
    t.equal(new URL(withError, origin).origin, origin);
  }
});

void t.test('withLoginError adds login_error to the query, keeping the path, search and hash', async (t) => {
  t.equal(withLoginError('/', 'sign_in_failed'), '/?login_error=sign_in_failed');
  t.equal(withLoginError('/cart', 'too_many_attempts'), '/cart?login_error=too_many_attempts');
  t.equal(withLoginError('/cart?x=1#top', 'access_denied'), '/cart?x=1&login_error=access_denied#top');
  t.equal(
    withLoginError('/cart?login_error=access_denied&x=1', 'sign_in_expired'),
    '/cart?login_error=sign_in_expired&x=1',
    'one login_error, replaced',
  );
  t.equal(withLoginError('/posts/new', 'identity_unavailable'), '/posts/new?login_error=identity_unavailable');
  t.equal(withLoginError('/API/x', 'not_registered'), '/API/x?login_error=not_registered');
  for (const code of ['sign_in_failed', 'too_many_attempts'] as const) {
    for (const candidate of nasty) {
      const answer = withLoginError(localReturnPath(candidate, origin), code);
      t.equal(answer, `/?login_error=${code}`, `${JSON.stringify(candidate)} with ${code}`);
    }
  }
});

void t.test('withLoginError never answers a protocol-relative //host, even when given one', async (t) => {
  for (const raw of ['//evil.example', '/.//evil.example/x', '/a/..//evil.example']) {
    const answer = withLoginError(raw, 'sign_in_failed');
    t.notOk(answer.startsWith('//'), `${raw} → ${answer}`);
    t.equal(new URL(answer, origin).origin, origin, `${raw} stays on the app`);
    t.equal(answer, '/?login_error=sign_in_failed', `${raw}: the app's own start page`);
  }
});
