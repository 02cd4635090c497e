import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Browser } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import { Cluster } from 'ioredis';
import t from 'tap';
import type { PostList, Thread } from '../src/index.js';
import { demoAuthors, demoContent, writeDemoContent } from '../src/posts/demo-content.js';
import { MemoryPostRepository } from '../src/posts/memory-post-repository.js';
import { RedisPostRepository } from '../src/posts/redis-post-repository.js';
import { forumFixture, withoutRedis } from './support.js';

const fixture = await forumFixture(t);
const demoOn = { FORUM_DEMO_CONTENT: 'true' };
const demo = demoContent(new Date());
const freshNamespace = () => ({ keyPrefix: `${fixture.redis.keyPrefix}${randomUUID()}:` });

/** Every post in the Forum, newest first, with its replies, as a signed-in member reads them. */
async function readForum(app: FastifyInstance): Promise<Thread[]> {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const { posts } = (await browser.send('GET', '/api/posts?limit=50')).json<PostList>();
  return Promise.all(posts.map(async ({ id }) => (await browser.send('GET', `/api/posts/${id}`)).json<Thread>()));
}

/** What a thread says, without its times: the demo is dated from whenever it is first written. */
const contentOf = (threads: Array<Pick<Thread, 'post' | 'replies'>>) =>
  threads.map(({ post, replies }) => ({
    id: post.id,
    title: post.title,
    author: post.author,
    replies: replies.map(({ id, body, author }) => ({ id, body, author })),
  }));

const storages: Array<[name: string, environment: Record<string, string | undefined>]> = [
  ['Redis', {}],
  ['the embedded store', withoutRedis],
];

for (const [storage, environment] of storages) {
  void t.test(`${storage}: FORUM_DEMO_CONTENT writes the demo threads, shown newest first`, async (t) => {
    const app = await fixture.build({ ...environment, ...demoOn }, freshNamespace());
    const threads = await readForum(app);
    t.same(contentOf(threads), contentOf([...demo].reverse()), 'every demo thread, and nothing else');
    t.ok(
      threads.every(({ post, replies }) => replies.every((reply) => reply.createdAt > post.createdAt)),
      'each reply written after its post',
    );
    t.ok(
      threads.every(({ post }) => Date.parse(post.createdAt) < Date.now()),
      'dated in the days before the first start',
    );
    t.same(await readForum(await fixture.build(environment, freshNamespace())), [], 'unset: an empty Forum');
  });
}

void t.test(
  'Redis: two instances starting together write the demo content once; a restart writes nothing',
  async (t) => {
    const namespace = freshNamespace();
    const [first] = await Promise.all([fixture.build(demoOn, namespace), fixture.build(demoOn, namespace)]);
    if (!first) throw new Error('no instance');
    const threads = await readForum(first);
    t.same(contentOf(threads), contentOf([...demo].reverse()), 'each thread once, each reply once');

    const member = new Browser(first);
    await member.login('shopper@example.com');
    const welcome = threads.at(-1)?.post.id ?? '';
    t.equal(
      (await member.send('POST', `/api/posts/${welcome}/replies`, { body: 'Hello from the test!' })).statusCode,
      201,
    );

    const restarted = await readForum(await fixture.build(demoOn, namespace));
    t.equal(restarted.length, demo.length, 'no thread written again');
    t.same(
      restarted
        .at(-1)
        ?.replies.map(({ body }) => body)
        .at(-1),
      'Hello from the test!',
      "the members' replies stay, after the demo's",
    );
    t.same(
      restarted.map(({ post }) => post.createdAt),
      threads.map(({ post }) => post.createdAt),
      'dated as first written',
    );
  },
);

void t.test('Redis: of two writers racing on separate connections, each thread is written by one', async (t) => {
  const keyPrefix = freshNamespace().keyPrefix;
  const { client } = fixture.redis;
  const other = client instanceof Cluster ? client.duplicate() : client.duplicate();
  t.teardown(() => other.disconnect());
  await (other instanceof Cluster ? once(other, 'ready') : other.ping());
  const [one, two] = await Promise.all([
    writeDemoContent(new RedisPostRepository(fixture.redis.client, keyPrefix)),
    writeDemoContent(new RedisPostRepository(other, keyPrefix), new Date(Date.now() + 1000)),
  ]);
  t.equal(one + two, demo.length, 'every thread written, none twice');
  const listed = await new RedisPostRepository(fixture.redis.client, keyPrefix).list(50);
  t.equal(listed?.posts.length, demo.length);
  for (const summary of listed?.posts ?? []) {
    const thread = await new RedisPostRepository(fixture.redis.client, keyPrefix).find(summary.id, 50);
    t.equal(thread?.post.createdAt, summary.createdAt, `${summary.title}: one time, whoever wrote it`);
  }
  t.equal(await writeDemoContent(new RedisPostRepository(other, keyPrefix)), 0, 'and nothing after that');
});

void t.test('the embedded store: written once', async (t) => {
  const posts = new MemoryPostRepository();
  t.equal(await writeDemoContent(posts), demo.length);
  t.equal(await writeDemoContent(posts), 0);
  t.equal((await posts.list(50))?.posts.length, demo.length);
});

interface KickstartRequest {
  url: string;
  body?: { user?: { firstName?: string; lastName?: string }; registration?: { applicationId?: string } };
}

void t.test("the demo threads are signed by the kickstart's demo users of the Forum, by id and name", async (t) => {
  const kickstart = JSON.parse(
    await readFile(new URL('../../../docker/fusionauth/kickstart.json', import.meta.url), 'utf8'),
  ) as { variables: Record<string, string>; requests: KickstartRequest[] };
  const variableOf = (value: string) =>
    Object.keys(kickstart.variables).find((name) => kickstart.variables[name] === value);
  const forum = `#{${variableOf(fixture.standIn.forumApplicationId) ?? ''}}`;
  for (const author of Object.values(demoAuthors)) {
    const variable = variableOf(author.id);
    t.ok(variable, `${author.name}: a user of the kickstart`);
    const requests = kickstart.requests.filter((request) => request.url.endsWith(`/#{${variable ?? ''}}`));
    const user = requests.find((request) => request.body?.user)?.body?.user;
    t.equal([user?.firstName, user?.lastName].join(' '), author.name, `${author.name}: the name their posts show`);
    t.ok(
      requests.some((request) => request.body?.registration?.applicationId === forum),
      `${author.name}: registered for the Forum`,
    );
  }
  const written = demo.flatMap(({ post, replies }) => [post, ...replies]).map(({ author }) => author.id);
  t.same(new Set(written), new Set(Object.values(demoAuthors).map(({ id }) => id)), 'and by nobody else');
});
