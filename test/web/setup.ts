import { cleanup } from '@testing-library/vue';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { server } from './fake-backend.js';

// Vitest's setup file for the SPA tests (vitest.config.ts): it runs in every test file's page.

/**
 * The session store opens a BroadcastChannel to the app's other tabs (happy-dom has none: these are
 * Node's, which deliver within the process). Each test's stores are closed after it, so that a
 * store of an earlier test never hears this one's, nor asks the backend anything in the middle of it.
 */
const openChannels = new Set<BroadcastChannel>();
globalThis.BroadcastChannel = class extends BroadcastChannel {
  constructor(name: string) {
    super(name);
    openChannels.add(this);
  }
};

// A request no route answers is a test's mistake: it fails the test rather than reaching the network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

afterEach(() => {
  // Testing Library cleans up by itself only where Vitest's globals are on (they are off here), and
  // leaves the container of a component with several root nodes (SessionGate) behind.
  cleanup();
  document.body.replaceChildren();
  vi.useRealTimers();
  for (const channel of openChannels) channel.close();
  openChannels.clear();
  // Each test's backend adds its own routes (fakeBackend()).
  server.resetHandlers();
  // What the session store keeps across a sign-in on FusionAuth's page.
  sessionStorage.clear();
  document.title = '';
});

afterAll(() => server.close());
