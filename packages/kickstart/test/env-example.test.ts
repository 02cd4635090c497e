import { readFile } from 'node:fs/promises';
import t from 'tap';
import {
  applicationIdByName,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
} from '../src/index.js';

/** `KEY=value` lines of .env.example, commented-out examples included. */
async function exampleSettings(): Promise<Map<string, string>> {
  const text = await readFile(new URL('../../../.env.example', import.meta.url), 'utf8');
  const settings = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) settings.set(match[1], match[2]);
  }
  return settings;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('.env.example carries the same ids and key as the kickstart', async (t) => {
  const settings = await exampleSettings();
  const summary = summarizeKickstart(
    substituteKickstart(await readKickstartFile(), { env: kickstartEnvironment({}), fusionAuthTenantId: 'unused' }),
  );
  t.equal(settings.get('FUSIONAUTH_API_KEY'), summary.apiKey);
  t.equal(settings.get('FUSIONAUTH_TENANT_ID'), summary.tenantId);
  t.equal(settings.get('STORE_APPLICATION_ID'), applicationIdByName(summary, 'Store'));
  t.equal(settings.get('FORUM_APPLICATION_ID'), applicationIdByName(summary, 'Forum'));
  for (const name of ['FUSIONAUTH_URL', 'REDIS_URL', 'FUSIONAUTH_DEV_PORT', 'FUSIONAUTH_DEV_PASSWORD_ITERATIONS']) {
    t.ok(settings.has(name), `${name} is documented`);
  }
});
