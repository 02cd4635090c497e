import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { RouterView } from 'vue-router';
import SessionGate from '../src/components/SessionGate.vue';
import { useSession } from '../src/session/session.js';
import { mount } from '../../../test/web/app.js';
import { alice, fakeBackend, ok } from '../../../test/web/fake-backend.js';

/** An app under the gate: a draft and a button that saves it through an app call behind the guard. */
const NotesApp = defineComponent({
  name: 'NotesApp',
  setup() {
    const session = useSession();
    const draft = ref('');
    const saved = ref('');
    const save = async () => {
      await session.api.request('POST', '/api/notes', { text: draft.value });
      saved.value = 'Saved.';
    };
    return () =>
      h('main', { id: 'main' }, [
        h('h1', { tabindex: -1 }, 'Notes'),
        h('label', { for: 'draft' }, 'Your note'),
        h('input', {
          id: 'draft',
          value: draft.value,
          onInput: (event: Event) => (draft.value = (event.target as HTMLInputElement).value),
        }),
        h('button', { type: 'button', onClick: save }, 'Save note'),
        h('p', { role: 'status' }, saved.value),
      ]);
  },
});

function notesBackend() {
  const backend = fakeBackend();
  backend.route('POST', '/api/notes', 'guarded', ({ body }) => ok(body));
  return backend;
}

/** Signed in, a note typed, the session ended, "Save note" pressed: the dialog asks to sign in again. */
async function interruptedWhileSaving() {
  const backend = notesBackend();
  backend.signIn(alice);
  const view = await mount(SessionGate, { slots: { default: NotesApp } });
  await view.user.type(await screen.findByLabelText('Your note'), 'Buy more tea');
  backend.endSession();
  const save = screen.getByRole('button', { name: 'Save note' });
  await view.user.click(save);
  const dialog = await screen.findByRole('dialog', { name: 'Sign in again' });
  const signInAgain = async () => {
    await view.user.type(within(dialog).getByLabelText('Email address'), alice.user.email);
    await view.user.type(within(dialog).getByLabelText('Password'), `${alice.password}{Enter}`);
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  };
  return { backend, save, dialog, signInAgain };
}

describe('the session gate', () => {
  it('says it is checking the session, then shows the sign-in page to someone signed out', async () => {
    const backend = notesBackend();
    const check = backend.hold('GET', '/api/user');
    await mount(SessionGate, { slots: { default: NotesApp } });

    await check.reached;
    expect(screen.getByRole('status').textContent).toContain('Checking your session…');
    check.release();

    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Notes' })).toBeNull();
    // The first field of the form is where the user starts.
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email address')));
  });

  it('shows the app to someone signed in', async () => {
    const backend = notesBackend();
    backend.signIn(alice);
    await mount(SessionGate, { slots: { default: NotesApp } });

    expect(await screen.findByRole('heading', { name: 'Notes' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it("puts the focus on the page's heading after signing in from the sign-in page", async () => {
    notesBackend();
    const { user } = await mount(SessionGate, { slots: { default: NotesApp } });

    await user.type(await screen.findByLabelText('Email address'), alice.user.email);
    await user.type(screen.getByLabelText('Password'), `${alice.password}{Enter}`);
    const heading = await screen.findByRole('heading', { name: 'Notes' });
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('keeps the app mounted but inert under a "Sign in again" dialog when the session ends under it', async () => {
    const { dialog } = await interruptedWhileSaving();

    expect(within(dialog).getByText('Your session has ended. Sign in again to carry on.')).toBeTruthy();
    const draft = screen.getByLabelText<HTMLInputElement>('Your note');
    expect(draft.value).toBe('Buy more tea');
    expect(draft.closest('[inert]')).not.toBeNull();
    expect(dialog.closest('[inert]')).toBeNull();
    await vi.waitFor(() => expect(document.activeElement).toBe(within(dialog).getByLabelText('Email address')));
  });

  it('carries on after signing in again: the waiting call is made, and the app is live again', async () => {
    const { backend, save, signInAgain } = await interruptedWhileSaving();

    await signInAgain();
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(save.closest('[inert]')).toBeNull();
    expect(backend.callsTo('POST', '/api/notes').map(({ body }) => body)).toEqual([
      { text: 'Buy more tea' },
      { text: 'Buy more tea' },
    ]);
  });

  // The app is inert under the dialog until it renders again: an inert element takes no focus.
  it('puts the focus back where it was after signing in again', async () => {
    const { save, signInAgain } = await interruptedWhileSaving();

    await signInAgain();
    await vi.waitFor(() => expect(document.activeElement).toBe(save), { timeout: 300 });
  });

  it("moves the focus to the new page's heading after a change of route", async () => {
    const backend = notesBackend();
    backend.signIn(alice);
    const { user } = await mount(SessionGate, {
      slots: { default: () => h('main', { id: 'main' }, h(RouterView)) },
    });

    await user.click(await screen.findByRole('link', { name: 'Cart' }));
    const heading = await screen.findByRole('heading', { name: 'Your cart' });
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));

    await user.click(screen.getByRole('link', { name: 'Products' }));
    const back = await screen.findByRole('heading', { name: 'Products' });
    await vi.waitFor(() => expect(document.activeElement).toBe(back));
  });
});
