import { fileURLToPath } from 'node:url';
import { sessionRecordKey } from '@native-login/session-login';
import {
  requestOnce,
  runEntryPoint,
  sessionIdOf,
  TcpProxy,
  testEnvironment,
  type HttpAnswer,
} from '@native-login/test-support';
import t, { type Test } from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);

/** The built Store (`dist/server.js`, as operators run it), listening on a port of its own. */
function startStore(t: Test, environment: Record<string, string | undefined>) {
  return runEntryPoint(
    t,
    fileURLToPath(new URL('../dist/server.js', import.meta.url)),
    Object.fromEntries(
      Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    /Server listening at (http:\/\/\S+?)"/,
  );
}

void t.test('SIGTERM: the request in flight finishes, its session is saved, then the process exits 0', async (t) => {
  // FusionAuth answers slowly, so the sign-in is still running when the signal arrives.
  const slowFusionAuth = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.standIn.url).port) });
  t.teardown(() => slowFusionAuth.close());
  slowFusionAuth.slowDown(1_000);
  const environment = testEnvironment('STORE', fixture.standIn, {
    FUSIONAUTH_URL: `http://127.0.0.1:${slowFusionAuth.port}`,
    ...fixture.redis.environment,
    REDIS_KEY_PREFIX: fixture.redis.keyPrefix,
    STORE_PORT: '0',
    LOG_LEVEL: 'info',
    // Straight to closing: what happens to the request in flight is under test here.
    SHUTDOWN_DRAIN_SECONDS: '0',
  });
  const server = await startStore(t, environment);
  if (!server) return;

  const login = fetch(`${server.captured}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ loginId: 'shopper@example.com', password: 'password123' }),
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const exit = server.stop();
  const response = await login;
  t.equal(response.status, 200, 'the sign-in that was in flight completed');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
  const key = sessionRecordKey(`${fixture.redis.keyPrefix}store:`, sessionIdOf(cookie));
  t.equal(await fixture.redis.client.exists(key), 1, 'and its session was written before Redis closed');
  t.equal(await exit, 0, 'exit 0');
});

void t.test(
  'SIGTERM drains: not ready at once, new connections served through the grace period, then closed',
  async (t) => {
    const drainMs = 2_000;
    const environment = testEnvironment('STORE', fixture.standIn, {
      ...fixture.redis.environment,
      REDIS_KEY_PREFIX: fixture.redis.keyPrefix,
      STORE_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_SECONDS: String(drainMs / 1000),
    });
    const server = await startStore(t, environment);
    if (!server) return;
    const url = server.captured;
    t.equal((await requestOnce(`${url}/readyz`)).status, 200, 'ready before the signal');

    // Traffic on new connections, one request every 20 ms, from before the signal until well after
    // the grace period: each outcome with the moment it was sent, counted from the signal.
    const outcomes: Array<{ at: number; answer?: HttpAnswer; error?: string }> = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    let sending = true;
    const traffic = (async () => {
      const pending: Array<Promise<void>> = [];
      while (sending) {
        const at = Date.now() - signalledAt;
        pending.push(
          requestOnce(`${url}/api/products`).then(
            (answer) => void outcomes.push({ at, answer }),
            (error: NodeJS.ErrnoException) => void outcomes.push({ at, error: error.code ?? error.message }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.all(pending);
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    signalledAt = Date.now();
    const exit = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readiness = await requestOnce(`${url}/readyz`);
    t.equal(readiness.status, 503, '/readyz answers 503 at once');
    t.match(JSON.parse(readiness.body), { status: 'not_ready', shuttingDown: true });
    await new Promise((resolve) => setTimeout(resolve, drainMs + 700));
    sending = false;
    await traffic;
    t.equal(await exit, 0, 'exit 0 once closed');

    const withinGrace = outcomes.filter(({ at }) => at < drainMs - 100);
    const afterSignal = withinGrace.filter(({ at }) => at >= 0);
    t.ok(afterSignal.length >= 50, `${afterSignal.length} requests sent in the grace period after the signal`);
    const failed = withinGrace.filter(({ answer }) => answer?.status !== 200);
    t.same(
      failed.map(({ at, answer, error }) => `${at} ms: ${answer?.status ?? error}`),
      [],
      'every request sent before the grace period ends is answered 200: no reset, no refusal',
    );
    t.ok(
      afterSignal.every(({ answer }) => answer?.headers.connection === 'close'),
      'and each of those answers closes its connection',
    );
    const afterClose = outcomes.filter(({ at }) => at > drainMs + 300);
    t.ok(afterClose.length > 0, 'requests went on after the grace period');
    t.ok(
      afterClose.every(({ answer, error }) => error === 'ECONNREFUSED' || answer?.status === 503),
      'which find the listener closed (or a 503 while closing), never a reset',
    );
  },
);
