import t from 'tap';
import {
  fusionAuthApplicationId,
  KickstartSubstitutionError,
  substituteKickstart,
  type Kickstart,
} from '../src/index.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function kickstart(partial: Partial<Kickstart>): Kickstart {
  return { variables: {}, apiKeys: [], requests: [], ...partial };
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('variables resolve in file order, and #{UUID()} is drawn once per variable', async (t) => {
  const resolved = substituteKickstart(
    kickstart({
      variables: { keyId: '#{UUID()}', label: 'key #{keyId}' },
      requests: [
        { method: 'POST', url: '/api/key/generate/#{keyId}', body: { key: { name: '#{label}', tags: ['#{keyId}'] } } },
      ],
    }),
    { env: {}, fusionAuthTenantId: 'tenant' },
  );
  const keyId = resolved.variables['keyId'];
  t.match(keyId, uuidPattern);
  t.equal(resolved.variables['label'], `key ${keyId}`);
  t.same(resolved.requests[0], {
    method: 'POST',
    url: `/api/key/generate/${keyId}`,
    body: { key: { name: `key ${keyId}`, tags: [keyId] } },
  });
});

void t.test('a #{UUID()} outside the variables is new at each use', async (t) => {
  const resolved = substituteKickstart(
    kickstart({
      requests: [
        { method: 'POST', url: '/api/user-action/#{UUID()}' },
        { method: 'POST', url: '/api/user-action/#{UUID()}' },
      ],
    }),
    { env: {}, fusionAuthTenantId: 'tenant' },
  );
  t.not(resolved.requests[0]?.url, resolved.requests[1]?.url);
});

void t.test('built-ins and the environment', async (t) => {
  const resolved = substituteKickstart(
    kickstart({
      variables: { defaultTenantId: 'fixed-tenant' },
      apiKeys: [{ key: '#{ENV.API_KEY}' }],
      requests: [
        { method: 'PATCH', url: '/api/tenant/#{FUSIONAUTH_TENANT_ID}', body: { app: '#{FUSIONAUTH_APPLICATION_ID}' } },
      ],
    }),
    { env: { API_KEY: 'from-env' }, fusionAuthTenantId: 'generated-tenant' },
  );
  t.equal(resolved.apiKeys[0]?.key, 'from-env');
  t.equal(resolved.requests[0]?.url, '/api/tenant/fixed-tenant', 'defaultTenantId fixes #{FUSIONAUTH_TENANT_ID}');
  t.same(resolved.requests[0]?.body, { app: fusionAuthApplicationId });

  const unfixed = substituteKickstart(
    kickstart({ requests: [{ method: 'PATCH', url: '/api/tenant/#{FUSIONAUTH_TENANT_ID}' }] }),
    {
      env: {},
      fusionAuthTenantId: 'generated-tenant',
    },
  );
  t.equal(unfixed.requests[0]?.url, '/api/tenant/generated-tenant');
});

void t.test('a substituted value cannot break the JSON it lands in', async (t) => {
  const resolved = substituteKickstart(
    kickstart({
      variables: { quote: '", "admin": true, "x": "' },
      requests: [{ method: 'POST', url: '/api/user', body: { user: { firstName: '#{quote}' } } }],
    }),
    {
      env: {},
      fusionAuthTenantId: 'tenant',
    },
  );
  t.same(resolved.requests[0]?.body, { user: { firstName: '", "admin": true, "x": "' } });
});

void t.test('unknown variables and unset environment variables are named in the error', async (t) => {
  t.throws(
    () =>
      substituteKickstart(kickstart({ requests: [{ method: 'POST', url: '/api/user/#{missing}' }] }), {
        env: {},
        fusionAuthTenantId: 't',
      }),
    new KickstartSubstitutionError('#{missing} is not a kickstart variable'),
  );
  t.throws(
    () =>
      substituteKickstart(kickstart({ apiKeys: [{ key: '#{ENV.NOT_SET}' }] }), { env: {}, fusionAuthTenantId: 't' }),
    new KickstartSubstitutionError('#{ENV.NOT_SET} names an environment variable that is not set'),
  );
});
