import { randomUUID } from 'node:crypto';
import { Browser } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import type { SignedIn } from '@native-login/session-login';
import type { CreatedPost, PostList, PostSummary, ReplyList, Thread } from '../src/index.js';
import { anonymousAuthorName, limits } from '../src/index.js';
import { MemoryPostRepository } from '../src/posts/memory-post-repository.js';
import type { PostRepository } from '../src/posts/post-repository.js';
import { RedisPostRepository } from '../src/posts/redis-post-repository.js';
import { forumFixture, withoutRedis } from './support.js';

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
  t.match(thread.json(), { post: { id: post.id }, replies: [{ body: 'Sencha, always.' }], replyCount: 1 });
  t.notOk(thread.json<Thread>().nextCursor, 'every reply shown: no cursor');
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

/** Both places the Forum keeps its posts, each built fresh: Redis (a key namespace of its own) and the embedded store. */
const storages: Array<[name: string, build: () => Promise<FastifyInstance>]> = [
  ['Redis', () => fixture.build({}, { keyPrefix: `${fixture.redis.keyPrefix}${randomUUID()}:` })],
  ['the embedded store', () => fixture.build(withoutRedis)],
];

async function signedIn(app: FastifyInstance): Promise<Browser> {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  return browser;
}

async function writePosts(browser: Browser, count: number, title = 'Post'): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await browser.send('POST', '/api/posts', { title: `${title} ${index + 1}`, body: 'Something to say.' });
  }
}

const isNewestFirst = (posts: PostSummary[]) =>
  posts.every((post, index) => index === 0 || post.createdAt <= (posts[index - 1]?.createdAt ?? ''));

for (const [storage, build] of storages) {
  void t.test(
    `${storage}: pages of posts, newest first, with no duplicates and no gaps while new posts arrive`,
    async (t) => {
      const browser = await signedIn(await build());
      await writePosts(browser, 23);
      const all = (await browser.send('GET', `/api/posts?limit=${limits.maxPerPage}`)).json<PostList>();
      t.equal(all.posts.length, 23);
      t.notOk(all.nextCursor, 'one page holds them all: no cursor');
      t.ok(isNewestFirst(all.posts), 'newest first');

      const before = new Set(all.posts.map((post) => post.id));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const answer = await browser.send('GET', `/api/posts?limit=5${cursor ? `&before=${cursor}` : ''}`);
        t.equal(answer.statusCode, 200);
        const page = answer.json<PostList>();
        seen.push(...page.posts.map((post) => post.id));
        cursor = page.nextCursor;
        pages += 1;
        await writePosts(browser, 2, `Arrived after page ${pages}`);
      } while (cursor !== undefined && pages < 10);
      t.equal(pages, 5, 'five pages of at most five');
      t.equal(new Set(seen).size, seen.length, 'no post twice');
      t.same(
        seen.filter((id) => before.has(id)),
        all.posts.map((post) => post.id),
        'every post there was, once, in the order of the list',
      );

      const first = (await browser.send('GET', '/api/posts')).json<PostList>();
      t.equal(first.posts.length, limits.postsPerPage, 'unless asked, a page of the default size');
      t.match(first.posts[0], { title: 'Arrived after page 5 2' }, 'the newest post first');
    },
  );

  void t.test(
    `${storage}: a last page that is exactly full has no cursor, and neither has an empty Forum`,
    async (t) => {
      const browser = await signedIn(await build());
      t.same((await browser.send('GET', '/api/posts')).json(), { posts: [] });
      await writePosts(browser, 6);
      const first = (await browser.send('GET', '/api/posts?limit=3')).json<PostList>();
      t.ok(first.nextCursor);
      const last = (await browser.send('GET', `/api/posts?limit=3&before=${first.nextCursor ?? ''}`)).json<PostList>();
      t.equal(last.posts.length, 3);
      t.notOk(last.nextCursor, 'nothing follows the last page');
    },
  );

  void t.test(`${storage}: a post's replies, a page at a time and oldest first, new ones at the end`, async (t) => {
    const browser = await signedIn(await build());
    const post = (
      await browser.send('POST', '/api/posts', { title: 'Long thread', body: 'Talk to me.' })
    ).json<CreatedPost>().post;
    const replyTo = (body: string) => browser.send('POST', `/api/posts/${post.id}/replies`, { body });
    for (let index = 1; index <= 45; index += 1) await replyTo(`Reply ${index}`);

    const thread = (await browser.send('GET', `/api/posts/${post.id}`)).json<Thread>();
    t.equal(thread.replies.length, limits.repliesPerPage, 'the thread holds the first page of replies');
    t.equal(thread.replyCount, 45);
    t.equal(thread.replies[0]?.body, 'Reply 1', 'oldest first');
    const bodies = thread.replies.map((reply) => reply.body);
    let cursor = thread.nextCursor;
    let pages = 1;
    while (cursor !== undefined && pages < 10) {
      const answer = await browser.send('GET', `/api/posts/${post.id}/replies?after=${cursor}`);
      t.equal(answer.statusCode, 200);
      const page = answer.json<ReplyList>();
      bodies.push(...page.replies.map((reply) => reply.body));
      cursor = page.nextCursor;
      pages += 1;
      await replyTo(`Arrived after page ${pages}`);
    }
    t.same(
      bodies,
      [...Array.from({ length: 45 }, (_, index) => `Reply ${index + 1}`), 'Arrived after page 2'],
      'every reply once, in order, one written between two pages at the end',
    );
    t.equal(pages, 3);

    const everything = (await browser.send('GET', `/api/posts/${post.id}/replies?limit=50`)).json<ReplyList>();
    t.equal(everything.replies.length, 47, 'and the one written after the last page');
    t.equal(everything.replyCount, 47);
    t.notOk(everything.nextCursor);
    const atTheEnd = await browser.send('GET', `/api/posts/${post.id}/replies?after=47`);
    t.same(atTheEnd.json(), { replies: [], replyCount: 47 }, 'a cursor at the very end: nothing more, no cursor');
  });

  void t.test(`${storage}: bad cursors and page sizes are a 400 with a message, never a 500`, async (t) => {
    const browser = await signedIn(await build());
    await writePosts(browser, 2);
    const post = (await browser.send('GET', '/api/posts')).json<PostList>().posts[0];
    const cases: Array<[url: string, code: string, message: RegExp]> = [
      ['/api/posts?before=not-a-cursor', 'validation_failed', /^querystring\.before: must be the nextCursor/],
      ['/api/posts?before=a&before=b', 'validation_failed', /^querystring\.before/],
      [`/api/posts?before=${randomUUID()}`, 'invalid_cursor', /^That page of posts does not exist\./],
      ['/api/posts?limit=0', 'validation_failed', /^querystring\.limit: must be a whole number from 1 to 50$/],
      ['/api/posts?limit=51', 'validation_failed', /must be a whole number from 1 to 50/],
      ['/api/posts?limit=2.5', 'validation_failed', /must be a whole number from 1 to 50/],
      ['/api/posts?limit=many', 'validation_failed', /must be a whole number from 1 to 50/],
      ['/api/posts?limit=', 'validation_failed', /must be a whole number from 1 to 50/],
      [
        `/api/posts/${post?.id ?? ''}/replies?after=-1`,
        'validation_failed',
        /^querystring\.after: must be the nextCursor/,
      ],
      [`/api/posts/${post?.id ?? ''}/replies?after=two`, 'validation_failed', /^querystring\.after/],
      [`/api/posts/${post?.id ?? ''}/replies?after=1`, 'invalid_cursor', /^That page of replies does not exist\./],
      [`/api/posts/${post?.id ?? ''}/replies?after=9999999999`, 'validation_failed', /^querystring\.after/],
      [`/api/posts/${post?.id ?? ''}/replies?limit=100`, 'validation_failed', /^querystring\.limit/],
      ['/api/posts/not-an-id/replies', 'validation_failed', /^params\.id: must be a post id/],
    ];
    for (const [url, code, message] of cases) {
      const answer = await browser.send('GET', url);
      t.equal(answer.statusCode, 400, url);
      t.match(answer.json(), { code, message }, url);
    }
    const unknown = await browser.send('GET', `/api/posts/${randomUUID()}/replies`);
    t.equal(unknown.statusCode, 404);
    t.same(unknown.json(), { code: 'post_not_found', message: 'That post does not exist.' });
  });
}

/** The two repositories themselves: Redis, under a key namespace of its own, and the embedded one. */
const repositories: Array<[name: string, make: () => PostRepository]> = [
  ['Redis', () => new RedisPostRepository(fixture.redis.client, `${fixture.redis.keyPrefix}${randomUUID()}:`)],
  ['the embedded store', () => new MemoryPostRepository()],
];

for (const [storage, make] of repositories) {
  void t.test(
    `${storage}: posts written in the same millisecond are each listed once, whatever the page size`,
    async (t) => {
      const posts = make();
      const createdAt = new Date().toISOString();
      const author = { id: 'someone', name: 'Someone' };
      for (let index = 0; index < 10; index += 1) {
        await posts.seed({
          post: { id: randomUUID(), title: `Twin ${index}`, body: 'x', author, createdAt },
          replies: [],
        });
      }
      const all = (await posts.list(50))?.posts.map((post) => post.id) ?? [];
      t.equal(all.length, 10);
      for (const limit of [1, 3, 4]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await posts.list(limit, cursor);
          seen.push(...(page?.posts.map((post) => post.id) ?? []));
          cursor = page?.nextCursor;
        } while (cursor !== undefined && seen.length <= 10);
        t.same(seen, all, `pages of ${limit}`);
      }
      t.equal(await posts.list(5, randomUUID()), undefined, 'a cursor that names no post: no page');
    },
  );
}

void t.test('Redis: a page of posts reads only the posts it shows', async (t) => {
  const calls: string[] = [];
  const client = fixture.redis.client;
  // Every command the repository sends through the client, by name.
  const recording = new Proxy(client, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(name);
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const posts = new RedisPostRepository(recording, `${fixture.redis.keyPrefix}${randomUUID()}:`);
  const author = { id: 'someone', name: 'Someone' };
  for (let index = 0; index < 60; index += 1) await posts.create({ title: `Post ${index}`, body: 'x', author });
  calls.length = 0;
  const page = await posts.list(5);
  t.equal(page?.posts.length, 5);
  t.same(
    calls.filter((name) => name === 'get' || name === 'llen').length,
    10,
    'five posts and their reply counts, of sixty',
  );
  t.notOk(
    calls.some((name) => /^z/.test(name)),
    "the page's ids come from the script, not from reading the whole list",
  );
});
