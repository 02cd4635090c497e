import { limits, newPost } from '@native-login/forum/schemas';
import type { UserEvent } from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { descriptionOf, forumBackend, openForum, pageHeading } from './support/forum-app.js';
import { alice, bob, validationFailure } from '../../../../test/web/fake-backend.js';

const titleField = () => screen.getByLabelText<HTMLInputElement>('Title');
const textField = () => screen.getByLabelText<HTMLTextAreaElement>('Text');
const postForm = () => screen.getByRole('form', { name: 'Write a post' });
/** What the form says of itself (a draft that came back), and why it was not published. */
const formNotice = () => within(postForm()).getByRole('status').textContent;
const formError = () => within(postForm()).getByRole('alert').textContent;
const publishButton = () => screen.getByRole<HTMLButtonElement>('button', { name: /Publish/ });

/** The "Write a post" page, signed in as `account` (Alice unless told). */
async function writePage(account = alice) {
  const { backend, forum } = forumBackend(account);
  const view = await openForum('/posts/new');
  await pageHeading('Write a post');
  return { backend, forum, ...view };
}

/** Writes into a field at once, as a paste does (typing thousands of characters key by key is slow). */
async function paste(user: UserEvent, field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

describe('writing a post', () => {
  it('is titled "Write a post · Forum"', async () => {
    await writePage();

    expect(document.title).toBe('Write a post · Forum');
  });

  it('shows every problem at its field at once, in sentences, and puts the focus on the first', async () => {
    const { backend, user } = await writePage();

    await user.click(publishButton());
    expect(titleField().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(titleField())).toBe('Give your post a title.');
    expect(textField().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(textField())).toBe('Write the text of your post.');
    await vi.waitFor(() => expect(document.activeElement).toBe(titleField()));
    expect(backend.callsTo('POST', '/api/posts')).toEqual([]);
  });

  it('drops a problem as soon as its field is right, and keeps the others', async () => {
    const { user } = await writePage();
    await user.click(publishButton());

    await user.type(titleField(), 'Loose leaf or bags?');
    expect(titleField().getAttribute('aria-invalid')).toBe('false');
    expect(titleField().getAttribute('aria-describedby')).toBeNull();
    expect(descriptionOf(textField())).toBe('Write the text of your post.');
  });

  it('puts the focus on the text when only the text is missing', async () => {
    const { user } = await writePage();
    await user.type(titleField(), 'Loose leaf or bags?');

    await user.click(publishButton());
    expect(titleField().getAttribute('aria-invalid')).toBe('false');
    expect(textField().getAttribute('aria-invalid')).toBe('true');
    await vi.waitFor(() => expect(document.activeElement).toBe(textField()));
  });

  it('counts a title of spaces as empty, as the server does', async () => {
    const { backend, user } = await writePage();
    await user.type(titleField(), '    ');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    expect(descriptionOf(titleField())).toBe('Give your post a title.');
    expect(backend.callsTo('POST', '/api/posts')).toEqual([]);
  });

  it('keeps a pasted title over the limit whole, and says by how much it is over', async () => {
    const view = await writePage();
    const long = 'a'.repeat(limits.title + 10);

    await paste(view.user, titleField(), long);
    // Nothing cut: the end of what was pasted is still there, for the writer to shorten.
    expect(titleField().value).toBe(long);
    expect(descriptionOf(titleField())).toBe('10 characters too many');

    await view.user.type(textField(), 'Which keeps better?');
    await view.user.click(publishButton());
    expect(titleField().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(titleField())).toBe(
      'The title can be at most 120 characters; it has 130. 10 characters too many',
    );
    expect(view.backend.callsTo('POST', '/api/posts')).toEqual([]);
  });

  it('says how many characters are left only once the title is near its limit', async () => {
    const view = await writePage();

    // 80% of the limit: 96 of 120.
    await paste(view.user, titleField(), 'a'.repeat(95));
    expect(screen.queryByText(/characters? left/)).toBeNull();
    expect(titleField().getAttribute('aria-describedby')).toBeNull();

    await view.user.type(titleField(), 'a');
    expect(descriptionOf(titleField())).toBe('24 characters left');
    await paste(view.user, titleField(), 'a'.repeat(23));
    expect(descriptionOf(titleField())).toBe('1 character left');
    await view.user.type(titleField(), 'a');
    expect(descriptionOf(titleField())).toBe('No characters left');
  });

  it("counts the text against the text's own limit", async () => {
    const view = await writePage();

    await paste(view.user, textField(), 'b'.repeat(limits.body - 1_000));
    expect(descriptionOf(textField())).toBe('1,000 characters left');
    await paste(view.user, textField(), 'b'.repeat(1_001));
    expect(descriptionOf(textField())).toBe('1 character too many');
  });

  it("puts the server's validation_failed answer in the same sentence at its field", async () => {
    const { backend, user } = await writePage();
    // The schema's own words for an empty text: `body.body: body must not be empty`.
    const refused = newPost.safeParse({ title: 'Loose leaf or bags?', body: '' });
    backend.answerNext('POST', '/api/posts', validationFailure('body', refused.error?.issues ?? []));
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    await vi.waitFor(() => expect(descriptionOf(textField())).toBe('Write the text of your post.'));
    expect(textField().getAttribute('aria-invalid')).toBe('true');
    expect(titleField().getAttribute('aria-invalid')).toBe('false');
    expect(formError()).toBe('');
    await vi.waitFor(() => expect(document.activeElement).toBe(textField()));
  });

  it("says a too-long answer of the server at the title, in the title's sentence", async () => {
    const { backend, user } = await writePage();
    const refused = newPost.safeParse({ title: 'a'.repeat(limits.title + 1), body: 'b' });
    backend.answerNext('POST', '/api/posts', validationFailure('body', refused.error?.issues ?? []));
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    await vi.waitFor(() => expect(descriptionOf(titleField())).toBe('The title can be at most 120 characters.'));
    expect(titleField().getAttribute('aria-invalid')).toBe('true');
  });

  it('says why a post was not published when the server cannot be reached, and keeps the text', async () => {
    const { backend, user } = await writePage();
    backend.answerNext('POST', '/api/posts', 'network-error');
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    await vi.waitFor(() =>
      expect(formError()).toBe('The server cannot be reached. Check your connection and try again.'),
    );
    expect(titleField().value).toBe('Loose leaf or bags?');
    expect(textField().value).toBe('Which keeps better?');
    expect(titleField().getAttribute('aria-invalid')).toBe('false');
  });

  it('says "Publishing…" and keeps the fields read-only while the post is sent', async () => {
    const { backend, user } = await writePage();
    const sending = backend.hold('POST', '/api/posts');
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    await sending.reached;
    expect(publishButton().textContent?.trim()).toBe('Publishing…');
    expect(publishButton().disabled).toBe(true);
    expect(titleField().readOnly).toBe(true);
    expect(textField().readOnly).toBe(true);

    sending.release();
    await pageHeading('Loose leaf or bags?');
  });

  it('publishes the title and text, and opens the new post, titled with its title', async () => {
    const { backend, forum, user, router } = await writePage();
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');

    await user.click(publishButton());
    const heading = await pageHeading('Loose leaf or bags?');
    expect(backend.callsTo('POST', '/api/posts').map(({ body }) => body)).toEqual([
      { title: 'Loose leaf or bags?', body: 'Which keeps better?' },
    ]);
    const [published] = forum.posts;
    expect(router.currentRoute.value.path).toBe(`/posts/${published?.id}`);
    expect(screen.getByText('Which keeps better?')).toBeTruthy();
    expect(screen.getByText(/^Alice Liddell · /)).toBeTruthy();
    await vi.waitFor(() => expect(document.title).toBe('Loose leaf or bags? · Forum'));
    // A change of page: the focus is on the new page's heading.
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('keeps the draft for the same user: a reload brings it back, and says so', async () => {
    const first = await writePage();
    await first.user.type(titleField(), 'Loose leaf or bags?');
    await first.user.type(textField(), 'Which keeps');
    first.unmount();

    await openForum('/posts/new');
    await pageHeading('Write a post');
    expect(titleField().value).toBe('Loose leaf or bags?');
    expect(textField().value).toBe('Which keeps');
    expect(formNotice()).toBe('Your draft is back, as you left it.');
  });

  it("never shows one user's draft to another user of the same tab", async () => {
    const first = await writePage();
    await first.user.type(titleField(), 'Loose leaf or bags?');
    await first.user.type(textField(), 'Which keeps');
    first.unmount();
    first.backend.signIn(bob);

    await openForum('/posts/new');
    await pageHeading('Write a post');
    expect(titleField().value).toBe('');
    expect(textField().value).toBe('');
    expect(formNotice()).toBe('');
    // Not in the tab's storage either, for anyone to read there.
    const stored = Array.from({ length: sessionStorage.length }, (_, index) => {
      const key = sessionStorage.key(index) ?? '';
      return `${key}=${sessionStorage.getItem(key) ?? ''}`;
    }).join('\n');
    expect(stored).not.toContain('Loose leaf');
  });

  it('forgets the drafts when the user signs out in this tab, for whoever uses the browser next', async () => {
    const { backend, user } = await writePage();
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in to the Forum' });

    expect(sessionStorage.length).toBe(0);
    backend.signIn(alice);
    await openForum('/posts/new');
    await pageHeading('Write a post');
    expect(titleField().value).toBe('');
  });

  it('keeps the draft when the session ends elsewhere (another tab, the server), for the same user', async () => {
    const first = await writePage();
    await first.user.type(titleField(), 'Loose leaf or bags?');
    first.backend.endSession();
    first.unmount();

    first.backend.signIn(alice);
    await openForum('/posts/new');
    await pageHeading('Write a post');
    expect(titleField().value).toBe('Loose leaf or bags?');
  });

  it('forgets the draft once it is published', async () => {
    const { user } = await writePage();
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');
    await user.click(publishButton());
    await pageHeading('Loose leaf or bags?');

    await user.click(screen.getByRole('link', { name: 'Write a post' }));
    await pageHeading('Write a post');
    expect(titleField().value).toBe('');
    expect(textField().value).toBe('');
    expect(formNotice()).toBe('');
  });

  it('keeps the draft when the session ends while publishing, and publishes it after signing in again', async () => {
    const { backend, forum, user } = await writePage();
    await user.type(titleField(), 'Loose leaf or bags?');
    await user.type(textField(), 'Which keeps better?');
    backend.endSession();

    await user.click(publishButton());
    const dialog = await screen.findByRole('dialog', { name: 'Sign in again' });
    // Nothing was published, and the draft is still there under the dialog.
    expect(forum.posts).toEqual([]);
    expect(titleField().value).toBe('Loose leaf or bags?');
    expect(textField().value).toBe('Which keeps better?');

    await user.type(within(dialog).getByLabelText('Email address'), alice.user.email);
    await user.type(within(dialog).getByLabelText('Password'), `${alice.password}{Enter}`);
    await pageHeading('Loose leaf or bags?');
    expect(screen.queryByRole('dialog')).toBeNull();
    // The same request, refused once (401) and sent again once Alice was back.
    const sent = { title: 'Loose leaf or bags?', body: 'Which keeps better?' };
    expect(backend.callsTo('POST', '/api/posts').map(({ body }) => body)).toEqual([sent, sent]);
    expect(forum.posts.map(({ title, body }) => ({ title, body }))).toEqual([sent]);

    // Published: the draft is gone.
    await user.click(screen.getByRole('link', { name: 'Write a post' }));
    await pageHeading('Write a post');
    expect(titleField().value).toBe('');
  });

  it('keeps the draft when the session has ended and the tab is reloaded, for the same user to sign in to', async () => {
    const first = await writePage();
    await first.user.type(titleField(), 'Loose leaf or bags?');
    await first.user.type(textField(), 'Which keeps');
    first.backend.endSession();
    first.unmount();

    const { user } = await openForum('/posts/new');
    await pageHeading('Sign in to the Forum');
    await user.type(screen.getByLabelText('Email address'), alice.user.email);
    await user.type(screen.getByLabelText('Password'), `${alice.password}{Enter}`);
    await pageHeading('Write a post');
    expect(titleField().value).toBe('Loose leaf or bags?');
    expect(textField().value).toBe('Which keeps');
    expect(formNotice()).toBe('Your draft is back, as you left it.');
  });
});
