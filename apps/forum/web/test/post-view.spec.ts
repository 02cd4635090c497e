import { limits } from '@native-login/forum/schemas';
import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { descriptionOf, forumBackend, openForum, pageHeading } from './support/forum-app.js';
import { alice, bob, carol } from '../../../../test/web/fake-backend.js';

const replyField = () => screen.getByLabelText<HTMLTextAreaElement>('Your reply');
const replyButton = () => screen.getByRole<HTMLButtonElement>('button', { name: /^(Reply|Sending…)$/ });
const replyForm = () => replyField().closest('form') as HTMLElement;
/** The reply form's own word on what it did: "Your reply is published." */
const replyNotice = () => within(replyForm()).getByRole('status').textContent;
const repliesSection = () => screen.getByRole('region', { name: 'Replies' });
/** The replies on screen, in order: each one's text. */
const shownReplies = () =>
  within(repliesSection())
    .queryAllByRole('listitem')
    .map((item) => item.querySelector('.body')?.textContent);

/** A post by Alice with `replies` replies ("Reply 1", …), opened by Bob. */
async function postPage(replies = 0) {
  const { backend, forum } = forumBackend(bob);
  const post = forum.write(alice, 'Loose leaf or bags?', 'Which keeps better?', replies);
  const view = await openForum(`/posts/${post.id}`);
  await pageHeading('Loose leaf or bags?');
  return { backend, forum, post, ...view };
}

describe('a post', () => {
  it('shows the post, its author and its replies, titled with its title', async () => {
    const { forum } = forumBackend(bob);
    const post = forum.write(alice, 'Loose leaf or bags?', 'Which keeps better?');
    forum.reply(bob, post, 'Loose leaf, in a tin.');
    forum.reply(carol, post, 'Bags, for the office.');
    await openForum(`/posts/${post.id}`);

    const article = (await pageHeading('Loose leaf or bags?')).closest('article') as HTMLElement;
    expect(within(article).getByText('Which keeps better?')).toBeTruthy();
    expect(within(article).getByText(/^Alice Liddell · /)).toBeTruthy();
    expect(shownReplies()).toEqual(['Loose leaf, in a tin.', 'Bags, for the office.']);
    expect(within(repliesSection()).getByText(/^Bob · /)).toBeTruthy();
    // Carol has neither a first nor a last name: the server signs her reply for her.
    expect(within(repliesSection()).getByText(/^A forum member · /)).toBeTruthy();
    expect(screen.queryByText('No replies yet.')).toBeNull();
    expect(document.title).toBe('Loose leaf or bags? · Forum');
  });

  it('says "No replies yet." for a post without replies', async () => {
    await postPage();

    expect(within(repliesSection()).getByText('No replies yet.')).toBeTruthy();
    expect(shownReplies()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Show more replies' })).toBeNull();
  });

  it('shows the first replies and how many there are, then the rest with "Show more replies", from the cursor', async () => {
    const { backend, post, user } = await postPage(limits.repliesPerPage + 5);
    expect(shownReplies()).toHaveLength(limits.repliesPerPage);
    expect(screen.getByText('Showing 20 of 25 replies.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Show more replies' }));
    await vi.waitFor(() => expect(shownReplies()).toHaveLength(25));
    expect(shownReplies()).toEqual(Array.from({ length: 25 }, (_, index) => `Reply ${index + 1}`));
    expect(backend.callsTo('GET', `/api/posts/${post.id}/replies`).map(({ path }) => path)).toEqual([
      `/api/posts/${post.id}/replies?after=20`,
    ]);
    // The last page: nothing more to ask for.
    expect(screen.queryByRole('button', { name: 'Show more replies' })).toBeNull();
    expect(screen.queryByText(/^Showing/)).toBeNull();
  });

  it('puts the focus on the first new reply after "Show more replies"', async () => {
    const { user } = await postPage(limits.repliesPerPage + 5);

    await user.click(screen.getByRole('button', { name: 'Show more replies' }));
    const firstNew = (await within(repliesSection()).findByText('Reply 21')).closest('li');
    await vi.waitFor(() => expect(document.activeElement).toBe(firstNew));
  });

  it('says "Loading more replies…" while they come, and asks only once however often it is pressed', async () => {
    const { backend, post, user } = await postPage(limits.repliesPerPage + 5);
    const more = backend.hold('GET', `/api/posts/${post.id}/replies`);

    const button = screen.getByRole('button', { name: 'Show more replies' });
    await user.click(button);
    await more.reached;
    expect(button.textContent?.trim()).toBe('Loading more replies…');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    await user.click(button);

    more.release();
    await vi.waitFor(() => expect(shownReplies()).toHaveLength(25));
    expect(backend.callsTo('GET', `/api/posts/${post.id}/replies`)).toHaveLength(1);
  });

  it('says "Post not found" for a post that does not exist, with a link back to the posts', async () => {
    const { backend } = forumBackend();
    const missing = '2f4d0d2c-9c1a-4a7e-8f7e-2d9b6d1a0c11';
    const { user } = await openForum(`/posts/${missing}`);

    await pageHeading('Post not found');
    expect(screen.getByText(/There is no post at this address/)).toBeTruthy();
    expect(backend.callsTo('GET', `/api/posts/${missing}`)).toHaveLength(1);
    expect(document.title).toBe('Post not found · Forum');
    expect(screen.queryByLabelText('Your reply')).toBeNull();

    await user.click(screen.getByRole('link', { name: 'Back to the posts' }));
    await pageHeading('Posts');
  });

  it('says "Post not found" for an address whose id is no post id, without asking the server', async () => {
    const { backend } = forumBackend();
    await openForum('/posts/not-a-post');

    await pageHeading('Post not found');
    expect(screen.getByRole('link', { name: 'Back to the posts' }).getAttribute('href')).toBe('/');
    expect(backend.callsTo('GET', '/api/posts/not-a-post')).toEqual([]);
  });

  it('says "Post not found" when the server refuses the id as no post id', async () => {
    const { backend } = forumBackend();
    // Shaped like a UUID, which the view lets through, but of no version the server gives out.
    const notAPostId = '12345678-1234-1234-1234-123456789012';
    await openForum(`/posts/${notAPostId}`);

    await pageHeading('Post not found');
    expect(backend.callsTo('GET', `/api/posts/${notAPostId}`)).toHaveLength(1);
  });

  it('says why a post could not be loaded, and loads it with "Try again"', async () => {
    const { backend, forum } = forumBackend();
    const post = forum.write(alice, 'Loose leaf or bags?');
    backend.answerNext('GET', `/api/posts/${post.id}`, 'network-error');
    const { user } = await openForum(`/posts/${post.id}`);

    await pageHeading('The post could not be loaded');
    expect(screen.getByText('The server cannot be reached. Check your connection and try again.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await pageHeading('Loose leaf or bags?');
  });
});

describe('replying to a post', () => {
  it('asks for the text of an empty reply at its field, with the focus there, and sends nothing', async () => {
    const { backend, post, user } = await postPage();

    await user.click(replyButton());
    expect(replyField().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(replyField())).toBe('Write your reply before sending it.');
    await vi.waitFor(() => expect(document.activeElement).toBe(replyField()));
    expect(backend.callsTo('POST', `/api/posts/${post.id}/replies`)).toEqual([]);

    await user.type(replyField(), 'Loose leaf.');
    expect(replyField().getAttribute('aria-invalid')).toBe('false');
  });

  it('counts the characters left near the limit, and keeps a reply over it whole, saying by how much', async () => {
    const { backend, post, user } = await postPage();
    await user.click(replyField());

    await user.paste('r'.repeat(1_599));
    expect(replyField().getAttribute('aria-describedby')).toBeNull();
    await user.paste('r');
    expect(descriptionOf(replyField())).toBe('400 characters left');
    await user.paste('r'.repeat(401));
    expect(replyField().value).toHaveLength(limits.reply + 1);
    expect(descriptionOf(replyField())).toBe('1 character too many');

    await user.click(replyButton());
    expect(descriptionOf(replyField())).toBe(
      'Your reply can be at most 2,000 characters; it has 2,001. 1 character too many',
    );
    expect(backend.callsTo('POST', `/api/posts/${post.id}/replies`)).toEqual([]);
  });

  it('adds a reply at the end of the list, empties the field and says it is published', async () => {
    const { backend, forum, post, user } = await postPage(2);

    await user.type(replyField(), 'Loose leaf, in a tin.');
    await user.click(replyButton());
    await vi.waitFor(() => expect(shownReplies()).toEqual(['Reply 1', 'Reply 2', 'Loose leaf, in a tin.']));
    expect(replyNotice()).toBe('Your reply is published.');
    expect(replyField().value).toBe('');
    expect(within(repliesSection()).getByText(/^Bob · /)).toBeTruthy();
    expect(backend.callsTo('POST', `/api/posts/${post.id}/replies`).map(({ body }) => body)).toEqual([
      { body: 'Loose leaf, in a tin.' },
    ]);
    expect(forum.repliesOf(post).map(({ body }) => body)).toEqual(['Reply 1', 'Reply 2', 'Loose leaf, in a tin.']);
  });

  it('says a reply is published after the replies not shown yet, and shows it in its turn', async () => {
    const { user } = await postPage(limits.repliesPerPage + 1);

    await user.type(replyField(), 'Loose leaf, in a tin.');
    await user.click(replyButton());
    await vi.waitFor(() => expect(replyNotice()).toBe('Your reply is published, after the replies not shown yet.'));
    expect(shownReplies()).toHaveLength(limits.repliesPerPage);
    expect(screen.getByText('Showing 20 of 22 replies.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Show more replies' }));
    await vi.waitFor(() => expect(shownReplies().slice(-2)).toEqual(['Reply 21', 'Loose leaf, in a tin.']));
  });

  it('keeps a half-written reply for its own post: another post has its own, and a reload brings it back', async () => {
    const page = await postPage();
    const { forum, post, router, user } = page;
    const other = forum.write(alice, 'Milk first?');
    await user.type(replyField(), 'Loose leaf');

    await router.push(`/posts/${other.id}`);
    await pageHeading('Milk first?');
    expect(replyField().value).toBe('');
    await user.type(replyField(), 'Never.');

    await router.push(`/posts/${post.id}`);
    await pageHeading('Loose leaf or bags?');
    expect(replyField().value).toBe('Loose leaf');

    page.unmount();
    await openForum(`/posts/${other.id}`);
    await pageHeading('Milk first?');
    expect(replyField().value).toBe('Never.');
  });

  it('forgets the draft of a reply once it is published', async () => {
    const page = await postPage();
    const { post, user } = page;
    await user.type(replyField(), 'Loose leaf, in a tin.');
    await user.click(replyButton());
    await vi.waitFor(() => expect(replyNotice()).toBe('Your reply is published.'));

    page.unmount();
    await openForum(`/posts/${post.id}`);
    await pageHeading('Loose leaf or bags?');
    expect(replyField().value).toBe('');
  });

  /**
   * Bob replies to the first post and, while the reply is on its way, opens the second, where he
   * had a draft; the reply is published while he is there. Then the tab is reloaded.
   */
  async function repliedThenLeft() {
    const page = await postPage();
    const { backend, forum, post, router, user } = page;
    const other = forum.write(alice, 'Milk first?');
    await router.push(`/posts/${other.id}`);
    await pageHeading('Milk first?');
    await user.type(replyField(), 'Never.');
    await router.push(`/posts/${post.id}`);
    await pageHeading('Loose leaf or bags?');
    await user.type(replyField(), 'Loose leaf, in a tin.');
    const sending = backend.hold('POST', `/api/posts/${post.id}/replies`);
    await user.click(replyButton());
    await sending.reached;
    await router.push(`/posts/${other.id}`);
    await pageHeading('Milk first?');
    expect(replyField().value).toBe('Never.');
    sending.release();
    await vi.waitFor(() => expect(forum.repliesOf(post)).toHaveLength(1));
    await vi.waitFor(() => expect(replyButton().textContent?.trim()).toBe('Reply'));
    page.unmount();
    return { post, other };
  }

  // The answer comes once another post is on screen: the draft cleared is the one replied to.
  it('keeps the draft of the post on screen when a reply sent from another post is published', async () => {
    const { other } = await repliedThenLeft();

    await openForum(`/posts/${other.id}`);
    await pageHeading('Milk first?');
    expect(replyField().value).toBe('Never.');
  });

  it('forgets the draft of the post a reply was sent to, even once another post is on screen', async () => {
    const { post } = await repliedThenLeft();

    await openForum(`/posts/${post.id}`);
    await pageHeading('Loose leaf or bags?');
    expect(replyField().value).toBe('');
  });
});
