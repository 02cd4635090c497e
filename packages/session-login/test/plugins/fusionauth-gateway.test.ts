import { createServer } from 'node:http';
import { Browser, TcpProxy } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const identityUnavailable = {
  code: 'identity_unavailable',
  message: 'Signing in is unavailable right now. Try again in 5 seconds.',
};

void t.test(
  'FusionAuth unreachable, slow, failing or refusing our API key: 503 identity_unavailable, no session',
  async (t) => {
    const hanging = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.standIn.url).port) });
    hanging.stall();
    t.teardown(() => hanging.close());
    const failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    t.teardown(() => failing.close());
    const failingPort = (failing.address() as { port: number }).port;

    const cases: Record<string, Record<string, string>> = {
      'connection refused': { FUSIONAUTH_URL: 'http://127.0.0.1:1' },
      'no answer within FUSIONAUTH_TIMEOUT_MS': {
        FUSIONAUTH_URL: `http://127.0.0.1:${hanging.port}`,
        FUSIONAUTH_TIMEOUT_MS: '300',
      },
      'a 500 from FusionAuth': { FUSIONAUTH_URL: `http://127.0.0.1:${failingPort}` },
      'our API key refused (401)': { FUSIONAUTH_API_KEY: 'not-the-key' },
    };
    for (const [label, environment] of Object.entries(cases)) {
      const app = await fixture.build(environment);
      const browser = new Browser(app);
      const started = Date.now();
      const response = await browser.login('shopper@example.com');
      t.equal(response.statusCode, 503, label);
      t.same(response.json(), identityUnavailable, label);
      t.notOk(browser.jar.get('store_session'), `${label}: no session`);
      t.ok(Date.now() - started < 2_500, `${label}: answered within the timeout`);
    }
  },
);

void t.test('FusionAuth refusing the request itself (400) is 400 validation_failed', async (t) => {
  // An application id FusionAuth does not know makes it answer 400 with errors JSON.
  const app = await fixture.build({ STORE_APPLICATION_ID: '00000000-0000-4000-8000-000000000000' });
  const response = await new Browser(app).login('shopper@example.com');
  t.equal(response.statusCode, 400);
  t.match(response.json(), { code: 'validation_failed' });
});
