import { fileURLToPath } from 'node:url';
import { runEntryPoint } from '@native-login/test-support';
import t from 'tap';

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the entry point seeds, listens, prints its URL and ids, and stops cleanly on SIGTERM', async (t) => {
  const server = await runEntryPoint(
    t,
    fileURLToPath(new URL('../../dist/server.js', import.meta.url)),
    { FUSIONAUTH_DEV_PORT: '0', FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '1000', LOG_LEVEL: 'warn' },
    /listening on (http:\/\/\S+)[\s\S]*Demo users:[\s\S]*locked@example\.com/,
  );
  if (!server) return;
  t.match(server.output, /FUSIONAUTH_API_KEY=\S+/);
  t.match(server.output, /STORE_APPLICATION_ID=[0-9a-f-]{36}/);
  t.match(server.output, /shopper@example\.com \/ password123/);
  t.equal((await fetch(`${server.captured}/api/status`)).status, 200);
  t.equal(await server.stop(), 0, 'exit 0 after SIGTERM');
});
