import { screen, within } from '@testing-library/vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SessionsPanel from '../src/components/SessionsPanel.vue';
import { mount, openTab } from '../../../test/web/app.js';
import {
  alice,
  bob,
  failure,
  fakeBackend,
  type FakeBackend,
  type FakeBackendOptions,
} from '../../../test/web/fake-backend.js';

const minute = 60_000;

/**
 * Alice signed in here just now, on a laptop ten minutes ago, on a tablet fifteen and on her phone
 * twenty (within the idle timeout); Bob somewhere else, whose session is none of her business.
 */
async function alicesSessions(options: FakeBackendOptions = {}, before?: (backend: FakeBackend) => void) {
  const backend = fakeBackend(options);
  const phone = backend.addDevice(alice, { userAgent: 'Safari on iPhone', ip: '198.51.100.4' }, 'fusionauth');
  vi.advanceTimersByTime(5 * minute);
  const tablet = backend.addDevice(alice, { userAgent: 'Firefox on Android', ip: '198.51.100.20' });
  vi.advanceTimersByTime(5 * minute);
  const laptop = backend.addDevice(alice, { userAgent: 'Chrome on macOS', ip: '198.51.100.9' });
  backend.addDevice(bob, { userAgent: 'Edge on Windows', ip: '192.0.2.1' });
  vi.advanceTimersByTime(10 * minute);
  backend.signIn(alice);
  const tab = openTab();
  await tab.session.refresh();
  before?.(backend);
  const view = await mount(SessionsPanel, { tab });
  return { backend, phone, tablet, laptop, ...view };
}

const entries = () => screen.getAllByRole('listitem');
const entryOf = (device: string) => {
  const entry = entries().find((item) => item.textContent?.includes(device));
  if (!entry) throw new Error(`No session of ${device} is listed`);
  return entry;
};
const status = () => screen.getAllByRole('status').at(-1)?.textContent;

describe('the sessions panel', () => {
  beforeEach(() => {
    // Only the clock, for the order of the sessions: requests and user events keep real timeouts.
    vi.useFakeTimers({ toFake: ['Date'] });
  });

  it("lists the user's sessions, this device first, then the most recently seen", async () => {
    await alicesSessions();

    expect(await screen.findByRole('heading', { name: 'Your sessions' })).toBeTruthy();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));
    const [here, laptop, tablet, phone] = entries();
    expect(here?.textContent).toContain('Firefox on Linux (this device)');
    expect(here?.textContent).toContain("with the Store's sign-in form");
    expect(within(here as HTMLElement).queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(laptop?.textContent).toContain('Chrome on macOS');
    expect(tablet?.textContent).toContain('Firefox on Android');
    expect(phone?.textContent).toContain('Safari on iPhone');
    expect(phone?.textContent).toContain("on FusionAuth's sign-in page");
    expect(document.title).toBe('Your sessions · Store');
  });

  it('signs another device out, and shows the list again without it', async () => {
    const { backend, phone, user } = await alicesSessions();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));

    await user.click(within(entryOf('Safari on iPhone')).getByRole('button', { name: 'Sign out' }));
    await vi.waitFor(() => expect(status()).toBe('That device is signed out.'));
    expect(entries()).toHaveLength(3);
    expect(screen.queryByText(/Safari on iPhone/)).toBeNull();
    expect(backend.isLive(phone)).toBe(false);
    expect(backend.signedInAs).toEqual(alice.user);
  });

  it('signs every other device out with "Sign out other devices"', async () => {
    const { backend, phone, tablet, laptop, user } = await alicesSessions();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));

    await user.click(screen.getByRole('button', { name: 'Sign out other devices' }));
    await vi.waitFor(() => expect(status()).toBe('Every other device is signed out.'));
    expect(entries()).toHaveLength(1);
    expect(entries()[0]?.textContent).toContain('(this device)');
    expect([phone, tablet, laptop].filter((device) => backend.isLive(device))).toEqual([]);
    // Nobody else is left to sign out.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Sign out other devices' }).disabled).toBe(true);
  });

  it('loads the next page with "Show more", with no entry twice, and moves the focus to the first new one', async () => {
    const { backend, tablet, user } = await alicesSessions({ sessionPageSize: 2 });
    await vi.waitFor(() => expect(entries()).toHaveLength(2));
    expect(screen.getByText(/Showing 2 of 4 sessions/)).toBeTruthy();

    // Between the two pages the tablet is used and moves up the list: the server's second page
    // starts with the laptop, which the first page ended with.
    vi.advanceTimersByTime(minute);
    backend.touchDevice(tablet);
    await user.click(screen.getByRole('button', { name: 'Show more' }));

    await vi.waitFor(() => expect(entries()).toHaveLength(3));
    expect(backend.callsTo('GET', '/api/sessions').at(-1)?.path).toBe('/api/sessions?offset=2');
    const listed = entries().map((entry) => entry.textContent ?? '');
    expect(listed.filter((text) => text.includes('Chrome on macOS'))).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    await vi.waitFor(() => expect(document.activeElement).toBe(entryOf('Safari on iPhone')));
  });

  it('says so when a device had already signed out', async () => {
    const { backend, phone, user } = await alicesSessions();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));
    backend.signOutDevice(phone);

    await user.click(within(entryOf('Safari on iPhone')).getByRole('button', { name: 'Sign out' }));
    await vi.waitFor(() => expect(status()).toBe('That session does not exist or has already ended.'));
  });

  it('says when the list could not be loaded, and loads it with "Try again"', async () => {
    const { backend, user } = await alicesSessions({}, (backend) =>
      backend.answerNext('GET', '/api/sessions', failure(500, 'internal_error', 'Something went wrong on our side.')),
    );

    expect(await screen.findByText(/Your sessions could not be loaded/)).toBeTruthy();
    expect(status()).toBe('Something went wrong on our side.');

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(entries()).toHaveLength(4));
    expect(status()).toBe('');
    expect(backend.callsTo('GET', '/api/sessions')).toHaveLength(2);
  });

  it('says when the server cannot be reached', async () => {
    const { backend, user } = await alicesSessions();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));
    backend.answerNext('DELETE', '/api/sessions', 'network-error');

    await user.click(screen.getByRole('button', { name: 'Sign out other devices' }));
    await vi.waitFor(() => expect(status()).toBe('The server cannot be reached. Check your connection and try again.'));
    expect(entries()).toHaveLength(4);
  });
});
