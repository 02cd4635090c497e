import { screen } from '@testing-library/vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import SessionNotice from '../src/components/SessionNotice.vue';
import { mount, openTab, type Tab } from '../../../test/web/app.js';
import { alice, fakeBackend, type FakeBackendOptions } from '../../../test/web/fake-backend.js';

const minute = 60_000;

/** A page being written on, with the notice as SessionGate shows it to a signed-in user. */
const PostPage = defineComponent({
  name: 'PostPage',
  setup: () => () => [
    h('label', { for: 'post' }, 'Your post'),
    h('textarea', { id: 'post' }),
    h('button', { type: 'button' }, 'Publish'),
    h(SessionNotice),
  ],
});

async function signedInPage(options: FakeBackendOptions = {}) {
  const backend = fakeBackend({ idleTimeoutMs: 10 * minute, ...options });
  backend.signIn(alice);
  const tab = openTab();
  await tab.session.refresh();
  const view = await mount(PostPage, { tab });
  return { backend, ...view };
}

/** Lets the notice's clock run until `seconds` are left before the idle deadline. */
async function untilSecondsLeft({ session }: Tab, seconds: number) {
  vi.advanceTimersByTime((session.expiresAt ?? 0) - seconds * 1_000 - Date.now());
  await nextTick();
}

const notice = () => screen.queryByRole('dialog');
const postField = () => screen.getByLabelText('Your post');

describe('the session notice', () => {
  beforeEach(() => {
    // The notice's clock only: the requests, user-event and Testing Library keep real timeouts.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  });

  it('appears in the last minute before the idle deadline, and takes the focus', async () => {
    const view = await signedInPage();

    await untilSecondsLeft(view, 61);
    expect(notice()).toBeNull();

    await untilSecondsLeft(view, 59);
    const dialog = screen.getByRole('dialog', { name: /You will be signed out in/ });
    expect(dialog.textContent).toContain('59 seconds');
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay signed in' })));
  });

  it('stays signed in with Enter: GET /api/user extends the session, and the notice goes', async () => {
    const view = await signedInPage();
    const checks = view.backend.callsTo('GET', '/api/user').length;
    await untilSecondsLeft(view, 30);
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay signed in' })));
    const extendedTo = Date.now() + 10 * minute;

    await view.user.keyboard('{Enter}');
    await vi.waitFor(() => expect(notice()).toBeNull());
    expect(view.backend.callsTo('GET', '/api/user')).toHaveLength(checks + 1);
    expect(view.session.expiresAt).toBeGreaterThanOrEqual(extendedTo);
  });

  it('goes with Escape, without asking the server, until the next deadline', async () => {
    const view = await signedInPage();
    const checks = view.backend.callsTo('GET', '/api/user').length;
    await untilSecondsLeft(view, 45);
    await vi.waitFor(() => expect(notice()).not.toBeNull());

    await view.user.keyboard('{Escape}');
    await vi.waitFor(() => expect(notice()).toBeNull());
    expect(view.backend.callsTo('GET', '/api/user')).toHaveLength(checks);
    await untilSecondsLeft(view, 20);
    expect(notice()).toBeNull();
  });

  it.each(['{Escape}', '{Enter}'])(
    'gives the focus back where it was once answered with %s, not to <body>',
    async (key) => {
      const view = await signedInPage();
      await view.user.click(postField());
      await untilSecondsLeft(view, 45);
      await vi.waitFor(() => expect(document.activeElement).not.toBe(postField()));

      await view.user.keyboard(key);
      await vi.waitFor(() => expect(notice()).toBeNull());
      await vi.waitFor(() => expect(document.activeElement).toBe(postField()));
    },
  );

  it('takes typing in the page as activity: the session is extended without a click', async () => {
    const view = await signedInPage();
    const checks = view.backend.callsTo('GET', '/api/user').length;
    await untilSecondsLeft(view, 40);
    expect(notice()).not.toBeNull();

    await view.user.type(postField(), 'Still here');
    await vi.waitFor(() => expect(view.backend.callsTo('GET', '/api/user')).toHaveLength(checks + 1));
    await vi.waitFor(() => expect(notice()).toBeNull());
    expect(view.session.expiresAt).toBeGreaterThan(Date.now() + 9 * minute);
    expect((postField() as HTMLTextAreaElement).value).toBe('Still here');
  });

  it('asks to save the work when the absolute lifetime ends the session, which nothing can extend', async () => {
    // Ten minutes idle, fifteen at most: after eight minutes, the absolute deadline comes first.
    const view = await signedInPage({ absoluteTimeoutMs: 15 * minute });
    vi.advanceTimersByTime(8 * minute);
    await view.session.refresh();
    expect(view.session.expiresAt).toBe(view.session.endsAt);
    const checks = view.backend.callsTo('GET', '/api/user').length;

    await untilSecondsLeft(view, 50);
    const dialog = screen.getByRole('dialog', { name: /Your session ends in/ });
    expect(dialog.textContent).toContain('Save your work.');
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).toBeNull();
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'OK' })));

    // Typing is no reason to ask the server: the session ends all the same.
    await view.user.type(postField(), 'Saving this');
    expect(notice()).not.toBeNull();
    expect(view.backend.callsTo('GET', '/api/user')).toHaveLength(checks);
  });

  it('asks the server once when the deadline passes, even if it cannot answer', async () => {
    const view = await signedInPage();
    const checksBefore = view.backend.callsTo('GET', '/api/user').length;
    const checks = () => view.backend.callsTo('GET', '/api/user').length - checksBefore;
    view.backend.answerNext('GET', '/api/user', 'network-error');

    await untilSecondsLeft(view, 1);
    expect(checks()).toBe(0);
    await untilSecondsLeft(view, -1);
    await vi.waitFor(() => expect(checks()).toBe(1));
    vi.advanceTimersByTime(5_000);
    await nextTick();
    expect(checks()).toBe(1);
    expect(view.session.status).toBe('signed-in');
    expect(view.session.error).toBe('The server cannot be reached. Check your connection and try again.');
  });

  it('goes when the server says at the deadline that another tab kept the session alive', async () => {
    const view = await signedInPage();
    await untilSecondsLeft(view, 10);
    expect(notice()).not.toBeNull();
    // Another tab's request, which this tab has not heard of.
    await fetch('/api/user');
    const extendedTo = Date.now() + 10 * minute;

    await untilSecondsLeft(view, -1);
    await vi.waitFor(() => expect(view.session.expiresAt).toBeGreaterThanOrEqual(extendedTo));
    expect(notice()).toBeNull();
    expect(view.session.status).toBe('signed-in');
  });

  it('leaves the app under the sign-in form when the server says at the deadline that the session is over', async () => {
    const view = await signedInPage();

    await untilSecondsLeft(view, -1);
    await vi.waitFor(() => expect(view.session.status).toBe('signed-out'));
    expect(view.session.interrupted).toBe(true);
  });
});
