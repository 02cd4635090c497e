import { screen } from '@testing-library/vue';
import App from '../../src/App.vue';
import { router as forumRouter } from '../../src/router.js';
import { mount, openTab, testRouter, type Mounted } from '../../../../../test/web/app.js';
import { alice, fakeBackend, type Account } from '../../../../../test/web/fake-backend.js';
import { fakeForum } from './fake-forum.js';

/**
 * The Forum's own routes (src/router.ts: the views, lazily loaded, `props: true` for a post's id),
 * each test's router built afresh from them on an in-memory history.
 */
const forumRoutes = [...forumRouter.options.routes];

/** The backend with the Forum's routes, and `account` (Alice unless told) signed in on this browser. */
export function forumBackend(account: Account | null = alice) {
  const backend = fakeBackend();
  const forum = fakeForum(backend);
  if (account) backend.signIn(account);
  return { backend, forum };
}

/**
 * The Forum in a tab at `path`, as main.ts mounts it: App.vue (the session gate, the header, the
 * routed view) with the tab's Pinia and session options. Another call, after unmounting the first,
 * is the tab reloaded: its sessionStorage is still there.
 */
export async function openForum(path = '/'): Promise<Mounted> {
  const tab = openTab('Forum');
  return mount(App, { tab, router: await testRouter(path, forumRoutes) });
}

export { descriptionOf } from '../../../../../test/web/app.js';

/** The page's heading (its `h1` in `main`), once the view has loaded what it shows. */
export const pageHeading = (name: string | RegExp) => screen.findByRole('heading', { level: 1, name });
