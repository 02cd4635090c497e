import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Browser, launchChromium, screenshot } from '@native-login/test-support';
import type { Page } from 'playwright-core';
import t from 'tap';
import type { CreatedPost } from '../src/index.js';
import { forumFixture } from './support.js';

// `npm test` builds the SPA first (npm run build), as `npm start` does.
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));
if (!existsSync(`${webRoot}/index.html`)) throw new Error(`${webRoot} is not built: run npm run build (npm test does)`);

const fixture = await forumFixture(t);
const app = await fixture.build();
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const context = await launchChromium(t);

/** A member writing through the API, to give the views something to show. */
const writer = new Browser(app);
await writer.login('shopper@example.com');
const write = async (title: string, body = 'Something to say.') =>
  (await writer.send('POST', '/api/posts', { title, body })).json<CreatedPost>().post;

async function signIn(page: Page, email = 'shopper@example.com') {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByLabel('Password').press('Enter');
}

/** A page at `path`, signed in as `email` if the browser is not signed in already (its pages share cookies). */
async function openSignedIn(path: string, email?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.locator('#login-id, #main h1').first().waitFor();
  if (await page.locator('#login-id').isVisible()) await signIn(page, email);
  await page.locator('#main h1').waitFor();
  return page;
}

// Asked through locators and a page expression: these tests are typed for Node, without the DOM's types.
const focusedText = async (page: Page) => ((await page.locator(':focus').textContent()) ?? '').trim();

/** Whether nothing on the page is wider than the window. */
const fitsTheWidth = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

/** Holds the answers of the requests `pattern` matches until `release` is called. */
async function holdAnswers(page: Page, pattern: RegExp): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the posts: the first page, then "Show more posts", and the focus on the first new one', async (t) => {
  for (let index = 1; index <= 25; index += 1) await write(`Numbered post ${index}`);
  const page = await openSignedIn('/');
  await page.getByRole('heading', { level: 1, name: 'Posts' }).waitFor();
  t.equal(await page.title(), 'Posts · Forum');
  t.equal(await page.locator('h1').count(), 1, 'one h1');
  await page.getByRole('link', { name: 'Numbered post 25' }).waitFor();
  t.equal(await page.locator('.post-summary').count(), 20, 'the first page');

  const release = await holdAnswers(page, /\/api\/posts\?before=/);
  await page.getByRole('button', { name: 'Show more posts' }).click();
  await page.getByRole('button', { name: 'Loading more posts…' }).waitFor();
  t.pass('a loading text while the page comes');
  release();
  await page.locator('.post-summary').nth(24).waitFor();
  t.equal(await page.locator('.post-summary').count(), 25, 'then the rest');
  t.equal(await focusedText(page), 'Numbered post 5', 'the focus on the first post the page brought');
  t.equal(await page.getByRole('button', { name: /Show more posts/ }).count(), 0, 'and nothing more to show');
  await screenshot(page, 'forum-posts-paged');
  await page.close();
});

void t.test('a post: its first replies, then "Show more replies", and the focus on the first new one', async (t) => {
  const post = await write('A thread with many replies');
  for (let index = 1; index <= 23; index += 1) {
    await writer.send('POST', `/api/posts/${post.id}/replies`, { body: `Reply number ${index}` });
  }
  const page = await openSignedIn(`/posts/${post.id}`);
  await page.getByRole('heading', { level: 1, name: 'A thread with many replies' }).waitFor();
  t.equal(await page.title(), 'A thread with many replies · Forum');
  t.equal(await page.locator('h1').count(), 1, 'one h1');
  t.equal(await page.getByRole('heading', { level: 2, name: 'Replies' }).count(), 1, 'sub-headings are h2');
  await page.getByText('Showing 20 of 23 replies.').waitFor();
  const release = await holdAnswers(page, /\/replies\?after=/);
  await page.getByRole('button', { name: 'Show more replies' }).click();
  await page.getByRole('button', { name: 'Loading more replies…' }).waitFor();
  release();
  await page.getByText('Reply number 23').waitFor();
  t.match(await focusedText(page), /^Reply number 21/, 'the focus on the first reply the page brought');
  t.equal(await page.getByRole('button', { name: /Show more replies/ }).count(), 0);
  await page.close();
});

void t.test('"Post not found" for an unknown post and for an address that is no post, with a way back', async (t) => {
  const page = await openSignedIn('/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11');
  for (const path of ['/posts/2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11', '/posts/not-a-post']) {
    await page.goto(`${url}${path}`);
    await page.getByRole('heading', { level: 1, name: 'Post not found' }).waitFor();
    t.equal(await page.title(), 'Post not found · Forum', path);
    t.notMatch(await page.locator('main').textContent(), /params|must be a post id/, `${path}: no API words`);
  }
  await page.getByRole('link', { name: 'Back to the posts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Posts' }).waitFor();
  t.pass('back to the posts');
  await page.close();
});

void t.test('writing a post: every problem at its field at once, in sentences, before anything is sent', async (t) => {
  const page = await openSignedIn('/posts/new');
  await page.getByRole('heading', { level: 1, name: 'Write a post' }).waitFor();
  t.equal(await page.title(), 'Write a post · Forum');
  let sent = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/posts')) sent += 1;
  });
  const title = page.getByLabel('Title');
  await title.fill('t'.repeat(131));
  t.equal(await title.inputValue(), 't'.repeat(131), 'nothing cut at the limit');
  const count = page.locator('#post-title-count');
  const announced = page.locator('.text-field [aria-live]').first();
  t.equal((await count.textContent())?.trim(), '11 characters too many');
  t.equal(await announced.textContent(), '11 characters too many', 'said as the text went over');
  await title.press('t');
  t.equal((await count.textContent())?.trim(), '12 characters too many', 'the count follows every key');
  t.equal(await announced.textContent(), '11 characters too many', 'but is not said at every key');
  await title.fill('t'.repeat(131));
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('The title can be at most 120 characters; it has 131.').waitFor();
  await page.getByText('Write the text of your post.').waitFor();
  t.pass('both problems at once');
  t.equal(sent, 0, 'nothing sent');
  t.equal(await page.locator(':focus').getAttribute('id'), 'post-title', 'the focus on the first field at fault');
  t.equal(await title.getAttribute('aria-invalid'), 'true');
  t.equal(await page.getByLabel('Text').getAttribute('aria-invalid'), 'true');
  t.match(await title.getAttribute('aria-describedby'), /post-title-error/);
  t.match(await title.getAttribute('aria-describedby'), /post-title-count/, 'and the count');

  await title.fill('   ');
  await page.getByText('Give your post a title.').waitFor();
  t.pass('empty after trimming is empty');

  // Should the backend still refuse (a rule the SPA does not know yet), its answer reads the same.
  await page.route(/\/api\/posts$/, (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'validation_failed', message: 'body.title: title must not be empty' }),
    }),
  );
  await title.fill('A fine title');
  await page.getByLabel('Text').fill('Some text.');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Give your post a title.').waitFor();
  t.notMatch(await page.locator('main').textContent(), /body\.title/, "the server's answer in the same words");
  await page.unroute(/\/api\/posts$/);
  await screenshot(page, 'forum-new-post-problems');
  await page.close();
});

void t.test(
  'drafts: kept across a reload and a sign-out elsewhere, for the same user only, gone once published',
  async (t) => {
    const page = await openSignedIn('/posts/new');
    await page.getByLabel('Title').fill('A draft to keep');
    await page.getByLabel('Text').fill('Half of what I wanted to say.');
    await page.reload();
    await page.getByText('Your draft is back, as you left it.').waitFor();
    t.equal(await page.getByLabel('Title').inputValue(), 'A draft to keep', 'after a reload');

    const other = await context.newPage();
    await other.goto(`${url}/`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
    t.pass('signed out in another tab: the sign-in form');
    await signIn(page);
    await page.getByLabel('Title').waitFor();
    t.equal(await page.getByLabel('Title').inputValue(), 'A draft to keep', 'after signing in again');
    t.equal(await page.getByLabel('Text').inputValue(), 'Half of what I wanted to say.');

    await other.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
    const { email } = await fixture.standIn.registerUser({ applicationId: fixture.standIn.forumApplicationId });
    await signIn(page, email);
    await page.getByLabel('Title').waitFor();
    t.equal(await page.getByLabel('Title').inputValue(), '', 'someone else finds no draft');
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page);
    await page.getByLabel('Title').waitFor();
    t.equal(await page.getByLabel('Title').inputValue(), '', "and the first user's draft went when someone else came");
    await page.getByLabel('Title').fill('Published at last');
    await page.getByLabel('Text').fill('All of it.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Published at last' }).waitFor();
    await page.goto(`${url}/posts/new`);
    await page.getByLabel('Title').waitFor();
    t.equal(await page.getByLabel('Title').inputValue(), '', 'published: no draft left');
    await page.close();
  },
);

void t.test('a reply being written is kept per post', async (t) => {
  const first = await write('First of two');
  const second = await write('Second of two');
  const page = await openSignedIn(`/posts/${first.id}`);
  await page.getByLabel('Your reply').fill('For the first post');
  await page.goto(`${url}/posts/${second.id}`);
  await page.getByRole('heading', { level: 1, name: 'Second of two' }).waitFor();
  t.equal(await page.getByLabel('Your reply').inputValue(), '', 'another post, another draft');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'First of two' }).waitFor();
  t.equal(await page.getByLabel('Your reply').inputValue(), 'For the first post');
  await page.getByRole('button', { name: 'Reply' }).click();
  await page.getByText('Your reply is published.').waitFor();
  await page.reload();
  await page.getByLabel('Your reply').waitFor();
  t.equal(await page.getByLabel('Your reply').inputValue(), '', 'sent: no draft left');
  await page.close();
});

void t.test('at 320 pixels wide nothing scrolls sideways, long words and addresses included', async (t) => {
  const long = await write(
    'Averyveryveryverylongwordwithoutanyspacesinitthatmustwrapsomewhere',
    'See https://example.com/a/very/long/path/that/goes/on/and/on/without/a/single/space/anywhere?with=query',
  );
  const page = await openSignedIn(`/posts/${long.id}`);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.getByRole('heading', { level: 1, name: /Averyvery/ }).waitFor();
  t.ok(await fitsTheWidth(page), 'a post');
  await screenshot(page, 'forum-post-320');
  for (const [path, heading] of [
    ['/', 'Posts'],
    ['/posts/new', 'Write a post'],
    ['/posts/not-a-post', 'Post not found'],
  ] as const) {
    await page.goto(`${url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    t.ok(await fitsTheWidth(page), path);
  }
  await page.close();
});
