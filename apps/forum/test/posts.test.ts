import { Browser } from '@native-login/test-support';
import t from 'tap';
import type { SignedIn } from '@native-login/session-login';
import type { CreatedPost, PostList } from '../src/index.js';
import { anonymousAuthorName, limits } from '../src/index.js';
import { forumFixture } from './support.js';

const fixture = await forumFixture(t);
const app = await fixture.build();

void t.test('reading and writing need a Forum session', async (t) => {
  const visitor = new Browser(app);
  for (const [method, url, body] of [
    ['GET', '/api/posts'],
    ['POST', '/api/posts', { title: 'Hello', body: 'World' }],
    ['GET', '/api/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11'],
    ['POST', '/api/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11/replies', { body: 'Hi' }],
  ] as const) {
    const response = await visitor.send(method, url, body);
    t.equal(response.statusCode, 401, `${method} ${url}`);
    t.match(response.json(), { code: 'unauthenticated' });
  }
});

void t.test('write a post, see it listed, read it, reply to it', async (t) => {
  const browser = new Browser(app);
  const login = await browser.login('shopper@example.com');
  t.match(login.json(), { user: { roles: ['member'] } }, 'Forum roles, not Store roles');

  const created = await browser.send('POST', '/api/posts', {
    title: '  Best tea for mornings?  ',
    body: 'Sencha or Earl Grey?',
  });
  t.equal(created.statusCode, 201);
  const post = created.json<CreatedPost>().post;
  t.match(post, {
    id: String,
    title: 'Best tea for mornings?',
    body: 'Sencha or Earl Grey?',
    author: { name: 'Sam Shopper' },
    createdAt: String,
  });

  const listed = await browser.send('GET', '/api/posts');
  t.match(listed.json<PostList>().posts[0], { id: post.id, title: 'Best tea for mornings?', replyCount: 0 });

  const storeOnly = new Browser(app);
  await storeOnly.login('storeonly@example.com'); // not registered for the Forum: no session
  t.equal((await storeOnly.send('GET', '/api/posts')).statusCode, 401);

  const replied = await browser.send('POST', `/api/posts/${post.id}/replies`, { body: 'Sencha, always.' });
  t.equal(replied.statusCode, 201);
  t.match(replied.json(), { reply: { body: 'Sencha, always.', author: { name: 'Sam Shopper' } } });

  const thread = await browser.send('GET', `/api/posts/${post.id}`);
  t.equal(thread.statusCode, 200);
  t.match(thread.json(), { post: { id: post.id }, replies: [{ body: 'Sencha, always.' }] });
  t.equal((await browser.send('GET', '/api/posts')).json<PostList>().posts[0]?.replyCount, 1);
});

void t.test('the author is the signed-in user, whatever the body claims', async (t) => {
  const browser = new Browser(app);
  const login = await browser.login('shopper@example.com');
  const response = await browser.send('POST', '/api/posts', {
    title: 'Spoofing',
    body: 'Who wrote this?',
    author: { id: 'someone-else', name: 'Admin' },
  });
  t.equal(response.statusCode, 201);
  t.same(response.json<CreatedPost>().post.author, { id: login.json<SignedIn>().user.id, name: 'Sam Shopper' });
});

void t.test('an author without a name is not shown by email address', async (t) => {
  const { email } = await fixture.standIn.registerUser({ applicationId: fixture.standIn.forumApplicationId });
  const browser = new Browser(app);
  await browser.login(email);
  const post = (
    await browser.send('POST', '/api/posts', { title: 'Who am I?', body: 'Nobody knows.' })
  ).json<CreatedPost>().post;
  t.equal(post.author.name, anonymousAuthorName);
  t.notOk(JSON.stringify(post).includes(email));
});

void t.test('length limits, empty text and unknown posts', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ title: '', body: 'x' }, /^body\.title: title must not be empty/],
    [{ title: '   ', body: 'x' }, /^body\.title: title must not be empty/],
    [{ title: 'x'.repeat(limits.title + 1), body: 'x' }, /title must be at most 120 characters/],
    [{ title: 'x', body: 'y'.repeat(limits.body + 1) }, /body must be at most 5000 characters/],
    [{ title: 'x' }, /^body\.body/],
    [{ title: 5, body: 'x' }, /^body\.title/],
  ];
  for (const [body, message] of cases) {
    const response = await browser.send('POST', '/api/posts', body);
    t.equal(response.statusCode, 400, JSON.stringify(body).slice(0, 50));
    t.match(response.json(), { code: 'validation_failed', message });
  }
  const unknown = await browser.send('GET', '/api/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11');
  t.equal(unknown.statusCode, 404);
  t.same(unknown.json(), { code: 'post_not_found', message: 'That post does not exist.' });
  const replyToNothing = await browser.send('POST', '/api/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11/replies', {
    body: 'Hi',
  });
  t.equal(replyToNothing.statusCode, 404);
  t.equal((await browser.send('GET', '/api/posts/not-an-id')).statusCode, 400);
  const post = (await browser.send('POST', '/api/posts', { title: 'Short', body: 'Reply limits' })).json<CreatedPost>()
    .post;
  const tooLong = await browser.send('POST', `/api/posts/${post.id}/replies`, { body: 'z'.repeat(limits.reply + 1) });
  t.equal(tooLong.statusCode, 400);
});

void t.test('posts persist across a restart', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const post = (
    await browser.send('POST', '/api/posts', { title: 'Persistent', body: 'Still here?' })
  ).json<CreatedPost>().post;
  const restarted = await fixture.build();
  const later = new Browser(restarted);
  await later.login('shopper@example.com');
  t.equal((await later.send('GET', `/api/posts/${post.id}`)).statusCode, 200);
});
