import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const requestLines = ['incoming request', 'request completed'];

/** Signs in and reads the notes on a backend built with `environment`, and answers what it logged. */
async function logOf(environment: Record<string, string>): Promise<LogCapture> {
  const log = new LogCapture();
  const browser = new Browser(await fixture.build(environment, { logStream: log }));
  await browser.login('shopper@example.com');
  await browser.send('GET', '/api/notes');
  return log;
}

const levelsOf = (log: LogCapture, msg: string) =>
  log.lines.filter((line) => line['msg'] === msg).map((line) => line['level']);
const signIn = (log: LogCapture) => log.lines.find((line) => line['event'] === 'login_succeeded');

void t.test('REQUEST_LOG_LEVEL=debug: an info log has the sign-in, and no line per request', async (t) => {
  const log = await logOf({ LOG_LEVEL: 'info', REQUEST_LOG_LEVEL: 'debug' });
  t.match(signIn(log), { level: 30 }, 'the app’s own event');
  t.same(
    log.lines.filter((line) => requestLines.includes(String(line['msg']))),
    [],
    'no request or answer line',
  );
});

void t.test('REQUEST_LOG_LEVEL=debug: a debug log has every request and answer, at debug', async (t) => {
  const log = await logOf({ LOG_LEVEL: 'debug', REQUEST_LOG_LEVEL: 'debug' });
  t.same(levelsOf(log, 'incoming request'), [20, 20], 'the sign-in and the read, at debug');
  t.same(levelsOf(log, 'request completed'), [20, 20]);
  t.match(
    log.lines.filter((line) => line['msg'] === 'request completed'),
    [{ res: { statusCode: 200 }, responseTime: Number }, { res: { statusCode: 200 } }],
    'with what Fastify’s own lines carry',
  );
  t.match(
    log.lines.find((line) => line['msg'] === 'incoming request'),
    { req: { method: 'POST', url: '/api/login' } },
  );
  t.match(signIn(log), { level: 30 }, 'the app’s own events stay at info');
});

void t.test('REQUEST_LOG_LEVEL unset: Fastify’s request lines at info, as ever', async (t) => {
  const log = await logOf({ LOG_LEVEL: 'info' });
  t.same(levelsOf(log, 'incoming request'), [30, 30]);
  t.same(levelsOf(log, 'request completed'), [30, 30]);
});
