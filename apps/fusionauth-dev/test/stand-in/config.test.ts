import {
  defaultKickstartPath,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
} from '@native-login/kickstart';
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { ConfigError, describeStandIn, readConfig, standInVariables } from '../../src/index.js';

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('defaults: port 9011 on loopback, seeded from the docker kickstart', async (t) => {
  t.same(readConfig({}), {
    FUSIONAUTH_DEV_HOST: '127.0.0.1',
    FUSIONAUTH_DEV_PORT: 9011,
    FUSIONAUTH_DEV_KICKSTART: defaultKickstartPath,
    FUSIONAUTH_DEV_EMPTY: false,
    LOG_LEVEL: 'info',
  });
  t.match(
    readConfig({ FUSIONAUTH_DEV_PORT: '0', FUSIONAUTH_DEV_EMPTY: 'true', FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '1000' }),
    {
      FUSIONAUTH_DEV_PORT: 0,
      FUSIONAUTH_DEV_EMPTY: true,
      FUSIONAUTH_DEV_PASSWORD_ITERATIONS: 1000,
    },
  );
});

void t.test('a bad value is refused with the variable named', async (t) => {
  t.throws(() => readConfig({ FUSIONAUTH_DEV_PORT: 'ninety' }), ConfigError);
  t.throws(() => readConfig({ FUSIONAUTH_DEV_PORT: '70000' }), { message: /^FUSIONAUTH_DEV_PORT: / });
  t.throws(() => readConfig({ FUSIONAUTH_DEV_EMPTY: 'yes' }), { message: /^FUSIONAUTH_DEV_EMPTY: / });
  t.throws(() => readConfig({ FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '0' }), {
    message: /^FUSIONAUTH_DEV_PASSWORD_ITERATIONS: /,
  });
});

void t.test('the start-up banner gives the variables the apps need and the demo logins', async (t) => {
  const kickstart = substituteKickstart(await readKickstartFile(), {
    env: kickstartEnvironment({}),
    fusionAuthTenantId: 'unused',
  });
  const banner = describeStandIn('http://127.0.0.1:9011', kickstart);
  t.match(banner, 'FUSIONAUTH_URL=http://127.0.0.1:9011');
  t.match(banner, `FUSIONAUTH_API_KEY=${kickstart.apiKeys[0]?.key}`);
  t.match(banner, `FUSIONAUTH_TENANT_ID=${kickstart.variables['defaultTenantId']}`);
  t.match(banner, `STORE_APPLICATION_ID=${kickstart.variables['storeApplicationId']}`);
  t.match(banner, `FORUM_APPLICATION_ID=${kickstart.variables['forumApplicationId']}`);
  t.match(banner, 'storeonly@example.com / password123  (Store)');
  t.match(describeStandIn('http://127.0.0.1:9011', undefined), /Started empty/);
});

void t.test('every variable the stand-in reads is documented in .env.example', async (t) => {
  const example = await readFile(new URL('../../../../.env.example', import.meta.url), 'utf8');
  for (const name of standInVariables) t.match(example, new RegExp(`^#? ?${name}=`, 'm'), `${name} is documented`);
});
