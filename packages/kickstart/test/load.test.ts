import { writeFile } from 'node:fs/promises';
import t from 'tap';
import {
  applicationIdByName,
  defaultKickstartPath,
  KickstartFileError,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
} from '../src/index.js';

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test("the project's kickstart defines the ids and demo users the apps rely on", async (t) => {
  const kickstart = substituteKickstart(await readKickstartFile(defaultKickstartPath), {
    env: kickstartEnvironment({}),
    fusionAuthTenantId: 'unused',
  });
  const summary = summarizeKickstart(kickstart);

  t.ok(summary.apiKey && summary.apiKey.length >= 32, 'an API key long enough for FusionAuth');
  t.match(summary.tenantId, /^[0-9a-f-]{36}$/, 'a fixed default tenant id');
  t.same(
    summary.applications.map((application) => application.name),
    ['Store', 'Forum'],
  );
  t.not(applicationIdByName(summary, 'Store'), applicationIdByName(summary, 'Forum'));
  t.throws(() => applicationIdByName(summary, 'Blog'), /no application named Blog/);

  const registrations = Object.fromEntries(summary.users.map((user) => [user.email, user.applications]));
  t.same(registrations, {
    'admin@example.com': ['FusionAuth'],
    'shopper@example.com': ['Store', 'Forum'],
    'storeonly@example.com': ['Store'],
    'mfa@example.com': ['Store', 'Forum'],
    'changeme@example.com': ['Store', 'Forum'],
    'unverified@example.com': ['Store', 'Forum'],
    'locked@example.com': ['Store', 'Forum'],
  });
  for (const user of summary.users) t.equal(user.password, 'password123', `${user.email} has the documented password`);
});

void t.test('a missing, malformed or mis-shaped file is reported with its path', async (t) => {
  const folder = t.testdir({
    'broken.json': '{ "requests": [',
    'wrong.json': JSON.stringify({ requests: [{ method: 'GET', url: '/api/user' }] }),
  });
  await t.rejects(readKickstartFile(`${folder}/absent.json`), KickstartFileError);
  await t.rejects(readKickstartFile(`${folder}/broken.json`), { message: /broken\.json is not valid JSON/ });
  await t.rejects(readKickstartFile(`${folder}/wrong.json`), {
    message: /wrong\.json is malformed at requests\.0\.method/,
  });

  await writeFile(`${folder}/relative.json`, JSON.stringify({ requests: [{ method: 'POST', url: 'user' }] }));
  await t.rejects(readKickstartFile(`${folder}/relative.json`), { message: /requests\.0\.url/ });
});
