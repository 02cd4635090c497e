import { assertBadBodiesRefused, Browser, snapshotKeys } from '@native-login/test-support';
import t from 'tap';
import type { CreatedPost } from '../src/index.js';
import { forumFixture } from './support.js';

const fixture = await forumFixture(t);
const app = await fixture.build();
const browser = new Browser(app);
await browser.login('shopper@example.com');
const post = (
  await browser.send('POST', '/api/posts', { title: 'Fuzz target', body: 'Replies go here' })
).json<CreatedPost>().post;

void t.test(
  'every Forum route answers bad bodies with a 4xx { code, message }, never 5xx, and writes nothing',
  async (t) => {
    const before = await snapshotKeys(fixture.redis.client, fixture.redis.keyPrefix);
    await assertBadBodiesRefused(
      t,
      app,
      [
        ['POST', '/api/login'],
        ['POST', '/api/login/two-factor'],
        ['POST', '/api/logout'],
        ['GET', '/api/user'],
        ['GET', '/api/posts'],
        ['POST', '/api/posts'],
        ['GET', `/api/posts/${post.id}`],
        ['GET', `/api/posts/${post.id}/replies`],
        ['POST', `/api/posts/${post.id}/replies`],
        ['POST', '/api/posts/not-an-id/replies'],
      ],
      browser.jar.header() ?? '',
    );
    t.same(await snapshotKeys(fixture.redis.client, fixture.redis.keyPrefix), before, 'nothing in Redis changed');
  },
);

void t.test('the paged lists answer bad querystrings with a 4xx { code, message }, never 5xx', async (t) => {
  const queries = [
    'before=',
    'before=%00',
    'before[]=x',
    'before[a]=x',
    `before=${'f'.repeat(10_000)}`,
    'before=00000000-0000-0000-0000-000000000000',
    'limit=-1',
    'limit=1e400',
    'limit=NaN',
    'limit=Infinity',
    'limit=%20',
    'limit=1&limit=2',
    'after=',
    'after=1.5',
    'after=%2B1',
    'after=0x10',
    'after[]=1',
    `after=${'9'.repeat(400)}`,
  ];
  for (const url of ['/api/posts', `/api/posts/${post.id}/replies`]) {
    for (const query of queries) {
      const response = await browser.send('GET', `${url}?${query}`);
      t.ok(response.statusCode < 500, `${url}?${query.slice(0, 40)}: ${response.statusCode}`);
      if (response.statusCode >= 400) t.match(response.json(), { code: String, message: String });
    }
  }
});
