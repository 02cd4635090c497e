import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { invalidCredentials } from '../support/sign-in.js';
import { accountFixture } from '../support/account-fixture.js';

const { app, standIn, build } = await accountFixture(t);
const forumUser = () => standIn.registerUser({ applicationId: standIn.forumApplicationId });

void t.test('a Forum account joins the Store with its password, and is signed in there', async (t) => {
  const { id, email } = await forumUser();
  const browser = new Browser(app);
  t.match((await browser.login(email)).json(), { code: 'not_registered' }, 'the way in is joining');
  const joined = await browser.send('POST', '/api/login/join', { loginId: email, password: 'password123' });
  t.equal(joined.statusCode, 200);
  t.match(joined.json(), { user: { id, email } });
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'signed in to the Store');
  const { response } = await standIn.client.retrieveUser(id);
  t.same(
    response.user?.registrations?.map((registration) => registration.applicationId).sort(),
    [standIn.forumApplicationId, standIn.storeApplicationId].sort(),
    'registered for both, the Forum registration kept',
  );
  t.equal((await new Browser(app).login(email)).statusCode, 200, 'from now on a plain sign-in');
});

void t.test('a wrong password joins nothing, and answers like any wrong password', async (t) => {
  const { id, email } = await forumUser();
  const response = await new Browser(app).send('POST', '/api/login/join', { loginId: email, password: 'wrong' });
  t.equal(response.statusCode, 401);
  t.same(response.json(), invalidCredentials);
  const { response: user } = await standIn.client.retrieveUser(id);
  t.same(
    user.user?.registrations?.map((registration) => registration.applicationId),
    [standIn.forumApplicationId],
  );
  const unknown = await new Browser(app).send('POST', '/api/login/join', {
    loginId: 'nobody-here@example.com',
    password: 'password123',
  });
  t.same(unknown.json(), invalidCredentials, 'an unknown address, the same');
});

void t.test('an account of this app already simply signs in', async (t) => {
  const response = await new Browser(app).send('POST', '/api/login/join', {
    loginId: 'shopper@example.com',
    password: 'password123',
  });
  t.equal(response.statusCode, 200);
});

void t.test('joining is throttled like signing in, and CSRF-checked', async (t) => {
  const { email } = await forumUser();
  const limited = await build({ LOGIN_ATTEMPTS_PER_ACCOUNT: '1' });
  const statuses: number[] = [];
  for (const password of ['wrong-1', 'wrong-2']) {
    statuses.push(
      (await new Browser(limited).send('POST', '/api/login/join', { loginId: email, password })).statusCode,
    );
  }
  t.same(statuses, [401, 429]);
  const noHeader = await app.inject({
    method: 'POST',
    url: '/api/login/join',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ loginId: email, password: 'password123' }),
  });
  t.equal(noHeader.statusCode, 403);
});

void t.test('the log names the join, never the password', async (t) => {
  const { id, email } = await forumUser();
  const log = new LogCapture();
  const logged = await build({ LOG_LEVEL: 'info' }, { logStream: log });
  await new Browser(logged).send('POST', '/api/login/join', { loginId: email, password: 'password123' });
  t.match(
    log.lines.find((line) => line['event'] === 'app_joined'),
    { userId: id, outcome: 'registered' },
  );
  t.ok(log.lines.some((line) => line['event'] === 'login_succeeded'));
  t.notMatch(log.all, /password123/);
});
