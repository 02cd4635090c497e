import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';

// `npm test` builds every workspace before it runs the tests, so this runs what operators run.
const entry = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

t.test('the entry point seeds, listens, prints its URL and ids, and stops cleanly on SIGTERM', async (t) => {
  if (!existsSync(entry)) {
    t.fail(`${entry} is not built: run npm run build (npm test does)`);
    return;
  }
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, FUSIONAUTH_DEV_PORT: '0', FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '1000', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found?.[1] && output.includes('Demo users:')) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
  t.match(output, /FUSIONAUTH_API_KEY=\S+/);
  t.match(output, /STORE_APPLICATION_ID=[0-9a-f-]{36}/);
  t.match(output, /shopper@example\.com \/ password123/);

  const status = await fetch(`${url}/api/status`);
  t.equal(status.status, 200);

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0, 'exit 0 after SIGTERM');
});
