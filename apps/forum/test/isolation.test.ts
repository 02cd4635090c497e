import { randomBytes } from 'node:crypto';
import { storeApp } from '@native-login/store';
import { Browser, buildBackend, CookieJar, testConfig } from '@native-login/test-support';
import t from 'tap';
import { forumFixture } from './support.js';

const fixture = await forumFixture(t);
const { standIn, redis } = fixture;
const forum = await fixture.build();
const store = await buildBackend(storeApp, testConfig('STORE', standIn, { ...redis.environment }), {
  keyPrefix: `${redis.keyPrefix}store:`,
});
t.teardown(() => store.close());

void t.test('no SSO: a Store session means nothing to the Forum, and the reverse', async (t) => {
  // One browser, one cookie jar, both apps (two ports of one host share cookies).
  const jar = new CookieJar();
  const inStore = new Browser(store, jar);
  const inForum = new Browser(forum, jar);
  t.equal((await inStore.login('shopper@example.com')).statusCode, 200);
  t.equal((await inForum.send('GET', '/api/user')).statusCode, 401, 'signed in to the Store only');
  t.equal((await inForum.send('GET', '/api/posts')).statusCode, 401);

  t.equal((await inForum.login('shopper@example.com')).statusCode, 200);
  t.ok(jar.get('store_session') && jar.get('forum_session'), 'two cookies with different names side by side');
  t.equal((await inStore.send('GET', '/api/cart')).statusCode, 200, 'both sessions live');
  t.equal((await inForum.send('GET', '/api/posts')).statusCode, 200);

  await inStore.send('POST', '/api/logout');
  t.equal((await inStore.send('GET', '/api/cart')).statusCode, 401);
  t.equal((await inForum.send('GET', '/api/posts')).statusCode, 200, 'logging out of the Store leaves the Forum alone');
});

void t.test("a Store cookie presented as the Forum's is refused", async (t) => {
  const browser = new Browser(store);
  await browser.login('shopper@example.com');
  const replay = new Browser(forum);
  replay.jar.set('forum_session', browser.jar.get('store_session') ?? '');
  t.equal((await replay.send('GET', '/api/posts')).statusCode, 401);
});

void t.test(
  'even with a shared Redis namespace, secret and cookie name, each app honours only its own sessions',
  async (t) => {
    const sharedSecret = randomBytes(32).toString('base64url');
    const shared = { keyPrefix: `${redis.keyPrefix}shared:`, cookieName: 'session' };
    const looseStore = await buildBackend(
      storeApp,
      testConfig('STORE', standIn, { ...redis.environment, STORE_SESSION_SECRET: sharedSecret }),
      shared,
    );
    t.teardown(() => looseStore.close());
    const looseForum = await fixture.build({ FORUM_SESSION_SECRET: sharedSecret }, shared);

    const jar = new CookieJar();
    await new Browser(looseStore, jar).login('shopper@example.com');
    const forumView = new Browser(looseForum, jar);
    const user = await forumView.send('GET', '/api/user');
    t.equal(user.statusCode, 401, 'the application id in the session decides');
    t.equal((await forumView.send('GET', '/api/posts')).statusCode, 401);

    await new Browser(looseForum, jar).login('shopper@example.com');
    t.equal((await new Browser(looseStore, jar).send('GET', '/api/cart')).statusCode, 401, 'and the reverse');

    const inStore = new Browser(looseStore);
    await inStore.login('shopper@example.com');
    const inForum = new Browser(looseForum);
    await inForum.login('shopper@example.com');
    t.equal((await inForum.send('POST', '/api/logout', { everywhere: true })).statusCode, 204);
    t.equal(
      (await inStore.send('GET', '/api/cart')).statusCode,
      200,
      "the Forum's logout everywhere ends none of the Store's",
    );
  },
);

void t.test('a user registered for the Store only is refused by the Forum, with no session', async (t) => {
  const browser = new Browser(forum);
  const response = await browser.login('storeonly@example.com');
  t.equal(response.statusCode, 403);
  t.same(response.json(), {
    code: 'not_registered',
    message: 'Your account exists, but it is not registered for the Forum.',
  });
  t.notOk(browser.jar.get('forum_session'));
  t.equal((await browser.send('GET', '/api/user')).statusCode, 401);
});
