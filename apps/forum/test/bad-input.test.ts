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
        ['POST', `/api/posts/${post.id}/replies`],
        ['POST', '/api/posts/not-an-id/replies'],
      ],
      browser.jar.header() ?? '',
    );
    t.same(await snapshotKeys(fixture.redis.client, fixture.redis.keyPrefix), before, 'nothing in Redis changed');
  },
);
