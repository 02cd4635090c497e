import { limits, type PostList } from '@native-login/forum/schemas';
import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { forumBackend, openForum, pageHeading } from './support/forum-app.js';
import { alice, bob, ok } from '../../../../test/web/fake-backend.js';

const postList = () => screen.getByRole('region', { name: 'Posts' });
/** The titles of the posts listed, in order. */
const listedTitles = () =>
  within(postList())
    .queryAllByRole('listitem')
    .map((item) => within(item).getByRole('link').textContent);
const showMore = () => screen.getByRole('button', { name: /^(Show more posts|Loading more posts…)$/ });

/** The list of posts, with `count` posts on the server ("Post 1", the oldest, to "Post <count>"). */
async function listPage(count: number) {
  const { backend, forum } = forumBackend();
  const posts = forum.writeMany(alice, count);
  const view = await openForum('/');
  await pageHeading('Posts');
  if (count > 0) await within(postList()).findAllByRole('listitem');
  return { backend, forum, posts, ...view };
}

/** "Post <from>" down to "Post <to>": the titles of a stretch of the list, newest first. */
const titlesFrom = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, index) => `Post ${from - index}`);

describe('the list of posts', () => {
  it('lists the posts, the newest first, with their authors and replies, titled "Posts · Forum"', async () => {
    const { backend, forum } = forumBackend();
    forum.write(alice, 'Loose leaf or bags?', 'Which keeps better?', 2);
    forum.write(bob, 'Milk first?', 'Settle it.', 1);
    await openForum('/');

    await vi.waitFor(() => expect(listedTitles()).toEqual(['Milk first?', 'Loose leaf or bags?']));
    const [milk, leaves] = within(postList()).getAllByRole('listitem');
    expect(milk?.textContent).toMatch(/Bob · .* · 1 reply/);
    expect(leaves?.textContent).toMatch(/Alice Liddell · .* · 2 replies/);
    expect(document.title).toBe('Posts · Forum');
    expect(screen.queryByRole('button', { name: 'Show more posts' })).toBeNull();
    expect(backend.callsTo('GET', '/api/posts').map(({ path }) => path)).toEqual(['/api/posts']);
  });

  it('says "Loading posts…" until the first page comes', async () => {
    const { backend, forum } = forumBackend();
    forum.write(alice, 'Loose leaf or bags?');
    const page = backend.hold('GET', '/api/posts');
    await openForum('/');

    await page.reached;
    expect((await screen.findByText(/Loading posts…/)).closest('[role="status"]')).not.toBeNull();
    page.release();
    await vi.waitFor(() => expect(listedTitles()).toEqual(['Loose leaf or bags?']));
  });

  it('says the forum is empty, with a link to write the first post', async () => {
    const { user } = await listPage(0);

    expect(await within(postList()).findByText(/No posts yet\./)).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Write the first one.' }));
    await pageHeading('Write a post');
  });

  it('shows the first page, then the older posts with "Show more posts", from the cursor', async () => {
    const { backend, posts, user } = await listPage(limits.postsPerPage + 5);
    expect(listedTitles()).toEqual(titlesFrom(25, 6));

    await user.click(showMore());
    await vi.waitFor(() => expect(listedTitles()).toEqual(titlesFrom(25, 1)));
    // The cursor is where the first page ended: its last (oldest) post, Post 6.
    expect(backend.callsTo('GET', '/api/posts').map(({ path }) => path)).toEqual([
      '/api/posts',
      `/api/posts?before=${posts[5]?.id}`,
    ]);
    expect(screen.queryByRole('button', { name: 'Show more posts' })).toBeNull();
  });

  it('puts the focus on the first new post after "Show more posts"', async () => {
    const { user } = await listPage(limits.postsPerPage + 5);

    await user.click(showMore());
    const firstNew = await within(postList()).findByRole('link', { name: 'Post 5' });
    await vi.waitFor(() => expect(document.activeElement).toBe(firstNew));
  });

  it('says "Loading more posts…" while they come, and asks only once however often it is pressed', async () => {
    const { backend, user } = await listPage(limits.postsPerPage + 5);
    const more = backend.hold('GET', '/api/posts');

    await user.click(showMore());
    await more.reached;
    expect(showMore().textContent?.trim()).toBe('Loading more posts…');
    expect(showMore().getAttribute('aria-disabled')).toBe('true');
    await user.click(showMore());

    more.release();
    await vi.waitFor(() => expect(listedTitles()).toHaveLength(25));
    expect(backend.callsTo('GET', '/api/posts')).toHaveLength(2);
  });

  it('shows no post twice, nor the ones written since the first page, when more are shown', async () => {
    const { forum, user } = await listPage(limits.postsPerPage + 5);
    forum.write(bob, 'Written meanwhile');

    await user.click(showMore());
    await vi.waitFor(() => expect(listedTitles()).toEqual(titlesFrom(25, 1)));
  });

  it('shows a post only once when a page brings it again', async () => {
    const { backend, posts, user } = await listPage(limits.postsPerPage + 5);
    // A page that starts with the last post already shown (Post 6), as a store may answer when
    // posts share a time.
    const summary = (index: number) => {
      const post = posts[index - 1];
      if (!post) throw new Error(`no Post ${index}`);
      return { id: post.id, title: post.title, author: post.author, createdAt: post.createdAt, replyCount: 0 };
    };
    backend.answerNext('GET', '/api/posts', ok({ posts: [6, 5, 4, 3, 2, 1].map(summary) } satisfies PostList));

    await user.click(showMore());
    await vi.waitFor(() => expect(listedTitles()).toEqual(titlesFrom(25, 1)));
  });

  it('says why the posts could not be loaded, and loads them with "Try again"', async () => {
    const { backend, forum } = forumBackend();
    forum.write(alice, 'Loose leaf or bags?');
    backend.answerNext('GET', '/api/posts', 'network-error');
    const { user } = await openForum('/');

    await pageHeading('Posts');
    const alert = await within(postList()).findByRole('alert');
    expect(alert.textContent).toContain('The server cannot be reached. Check your connection and try again.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(listedTitles()).toEqual(['Loose leaf or bags?']));
  });

  it('says why more posts could not be loaded, and keeps the ones shown', async () => {
    const { backend, user } = await listPage(limits.postsPerPage + 5);
    backend.answerNext('GET', '/api/posts', 'network-error');

    await user.click(showMore());
    await vi.waitFor(() =>
      expect(within(postList()).getByRole('alert').textContent).toBe(
        'The server cannot be reached. Check your connection and try again.',
      ),
    );
    expect(listedTitles()).toEqual(titlesFrom(25, 6));
    await user.click(showMore());
    await vi.waitFor(() => expect(listedTitles()).toHaveLength(25));
    expect(within(postList()).getByRole('alert').textContent).toBe('');
  });

  it("opens a post from the list, the page then titled with the post's title", async () => {
    const { posts, router, user } = await listPage(3);

    await user.click(within(postList()).getByRole('link', { name: 'Post 1' }));
    const heading = await pageHeading('Post 1');
    expect(document.title).toBe('Post 1 · Forum');
    expect(heading.closest('article')?.textContent).toContain('Something to say.');
    expect(router.currentRoute.value.path).toBe(`/posts/${posts[0]?.id}`);
    // A change of page: the focus is on the post's heading.
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
  });
});
