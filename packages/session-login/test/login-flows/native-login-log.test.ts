import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import type { SignedIn } from '../../src/index.js';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);

void t.test('the real reason of a failed login goes to the log, with the user id and IP', async (t) => {
  const log = new LogCapture();
  const app = await fixture.build({ LOG_LEVEL: 'info' }, { logStream: log });
  await new Browser(app).login('locked@example.com');
  await new Browser(app).login('shopper@example.com', 'wrong-password');
  const failures = log.lines.filter((line) => line['event'] === 'login_failed');
  t.match(failures, [
    { reason: 'login_prevented', userId: undefined, ip: '127.0.0.1' },
    { reason: 'unknown_user_or_wrong_password', ip: '127.0.0.1' },
  ]);
  t.notMatch(log.all, /wrong-password|password123/, 'no password in the log');
});

void t.test('FusionAuth refusing our API key is an error log that names the cause', async (t) => {
  const log = new LogCapture();
  const app = await fixture.build({ LOG_LEVEL: 'info', FUSIONAUTH_API_KEY: 'not-the-key' }, { logStream: log });
  const response = await new Browser(app).login('shopper@example.com');
  t.equal(response.statusCode, 503);
  const error = log.lines.find((line) => line['level'] === 50);
  t.match(error, { msg: /FusionAuth rejected the API key: check FUSIONAUTH_API_KEY/, statusCode: 401 });
  t.notMatch(log.all, /not-the-key/, 'nor the key itself');
});

void t.test(
  'a successful login and logout are logged with the user id; the session id and cookie are not',
  async (t) => {
    const log = new LogCapture();
    const app = await fixture.build({ LOG_LEVEL: 'info' }, { logStream: log });
    const browser = new Browser(app);
    const login = await browser.login('shopper@example.com');
    const userId = login.json<SignedIn>().user.id;
    const cookie = decodeURIComponent(browser.jar.get('store_session') ?? '');
    await browser.send('GET', '/api/notes');
    await browser.send('POST', '/api/logout');
    t.match(
      log.lines.find((line) => line['event'] === 'login_succeeded'),
      { userId, ip: '127.0.0.1' },
    );
    t.match(
      log.lines.find((line) => line['event'] === 'logout'),
      { userId, ip: '127.0.0.1' },
    );
    t.notOk(log.all.includes(cookie.split('.')[0] ?? '-'), 'no session id');
    t.notOk(log.all.includes(cookie), 'no cookie');
  },
);
