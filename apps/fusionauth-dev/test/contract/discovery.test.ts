import t from 'tap';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('GET /api/status and /api/health answer without an API key', async (t) => {
  const status = await fetch(new URL('/api/status', target.url));
  t.equal(status.status, 200);
  t.match(await status.json(), { status: 'ok' });
  const health = await fetch(new URL('/api/health', target.url));
  t.equal(health.status, 200);
});

void t.test('the JWKS lists the RSA keys the applications sign with, and no secret key', async (t) => {
  const jwks = await settle(target.client.retrieveJsonWebKeySet());
  t.match(jwks, { resolved: true, statusCode: 200 });
  const keys = jwks.response?.keys ?? [];
  t.ok(keys.length >= 2, 'one key for the Store and one for the Forum at least');
  for (const key of keys) {
    t.match(key, { kty: 'RSA', alg: /^RS/, kid: String, use: 'sig', n: String, e: String });
    t.notOk('d' in key || 'k' in key, `${key.kid} is public only`);
  }
});

void t.test('the OpenID configuration names the issuer and the JWKS', async (t) => {
  const configuration = await settle(target.client.retrieveOpenIdConfiguration());
  t.match(configuration, {
    resolved: true,
    statusCode: 200,
    response: {
      issuer: String,
      jwks_uri: /\/\.well-known\/jwks\.json$/,
      token_endpoint: String,
      authorization_endpoint: String,
    },
  });
});
