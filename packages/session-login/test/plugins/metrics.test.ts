import { Browser, LogCapture, requestOnce } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);

/** One sample's value in Prometheus's text format, 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((pair) => inside.split(',').includes(pair))) return Number(line.slice(line.indexOf('}') + 1));
  }
  return 0;
}

void t.test('metrics: on a port of their own, and the counters move', async (t) => {
  const app = await fixture.build({ STORE_METRICS_PORT: '0' }, { logStream: new LogCapture() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.metrics.address();
  if (!address) throw new Error('the metrics listen once the app does');
  const scrape = async () => {
    const answer = await requestOnce(`http://127.0.0.1:${address.port}/metrics`);
    t.equal(answer.status, 200);
    t.match(answer.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    return answer.body;
  };
  const appPort = (app.server.address() as { port: number }).port;
  t.not(address.port, appPort, 'not on the public port');
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'which does not serve them');

  const before = await scrape();
  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com', 'wrong')).statusCode, 401);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200);
  t.equal((await browser.send('POST', '/api/logout')).statusCode, 204);
  const after = await scrape();

  const moved = (name: string, labels: Record<string, string>) =>
    sample(after, name, labels) - sample(before, name, labels);
  t.equal(moved('sign_ins_total', { flow: 'native', outcome: 'invalid_credentials' }), 1, 'a refused sign-in');
  t.equal(moved('sign_ins_total', { flow: 'native', outcome: 'succeeded' }), 1, 'a sign-in');
  t.equal(moved('session_starts_total', { via: 'password' }), 1, 'a session started');
  t.equal(moved('session_ends_total', { reason: 'logout' }), 1, 'and ended by logout');
  t.equal(
    moved('http_request_duration_seconds_count', { route: '/api/notes', method: 'GET', status: '200' }),
    1,
    'requests by route pattern and status',
  );
  t.ok(moved('fusionauth_request_duration_seconds_count', { operation: 'POST /api/login', outcome: '2xx' }) >= 1);
  t.ok(moved('fusionauth_request_duration_seconds_count', { operation: 'POST /api/login', outcome: '4xx' }) >= 1);
  t.match(after, /\nprocess_cpu_seconds_total\{app="store"\} /, "and the process's own");
  t.notMatch(after, /shopper@example\.com|userId|user_id/, 'never who the user is');
  t.equal((await requestOnce(`http://127.0.0.1:${address.port}/other`)).status, 404);
});

void t.test('without STORE_METRICS_PORT nothing listens, and the metrics are still kept', async (t) => {
  const app = await fixture.build();
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.equal(app.metrics.address(), undefined);
  await new Browser(app).login('shopper@example.com');
  t.match(await app.metrics.registry.metrics(), /sign_ins_total\{flow="native",outcome="succeeded",app="store"\} 1/);
});
