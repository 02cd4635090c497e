import { emailLinkRoutes, sessionOptions, useSession, type Session } from '@native-login/login-ui';
import { render, type RenderResult } from '@testing-library/vue';
import { userEvent, type UserEvent } from '@testing-library/user-event';
import { createPinia, type Pinia } from 'pinia';
import { createApp, h, type Component, type FunctionalComponent, type Slot } from 'vue';
import { createMemoryHistory, createRouter, RouterLink, type RouteRecordRaw, type Router } from 'vue-router';

/** A tiny route component: its heading (focusable, as the apps' views have it) and a link to another page. */
export function page(heading: string, link: { to: string; text: string }): FunctionalComponent {
  const view: FunctionalComponent = () => [
    h('h1', { tabindex: -1 }, heading),
    h(RouterLink, { to: link.to }, () => link.text),
  ];
  view.displayName = `${heading.replaceAll(' ', '')}Page`;
  return view;
}

/**
 * The pages of the router a test mounts components with, unless it brings its own; the email links'
 * pages too, listed as the apps list them.
 */
export const testRoutes: RouteRecordRaw[] = [
  { path: '/', component: page('Products', { to: '/cart', text: 'Cart' }) },
  { path: '/cart', component: page('Your cart', { to: '/', text: 'Products' }) },
  ...emailLinkRoutes,
];

/** A router on an in-memory history, at `path` and ready, as an SPA is once its first route has loaded. */
export async function testRouter(path = '/', routes = testRoutes): Promise<Router> {
  const router = createRouter({ history: createMemoryHistory(), routes });
  await router.push(path);
  await router.isReady();
  return router;
}

export interface Tab {
  appName: string;
  pinia: Pinia;
  session: Session;
}

/**
 * One tab of the app: its Pinia and session options, as main.ts installs them, and its session
 * store. Two calls are two tabs of the same app, which hear each other over their BroadcastChannel.
 */
export function openTab(appName = 'Store'): Tab {
  const pinia = createPinia();
  createApp(() => null)
    .use(pinia)
    .use(sessionOptions({ appName }));
  return { appName, pinia, session: useSession(pinia) };
}

export interface MountOptions {
  props?: Record<string, unknown>;
  slots?: Record<string, Slot | Component | string>;
  /** The tab to mount in, when the test has set its session up first; a new Store tab otherwise. */
  tab?: Tab;
  router?: Router;
}

export interface Mounted extends RenderResult, Tab {
  router: Router;
  user: UserEvent;
}

/** Renders a component as the app would (the tab's Pinia and session options, a router), with a user to drive it. */
export async function mount(component: Component, options: MountOptions = {}): Promise<Mounted> {
  const tab = options.tab ?? openTab();
  const router = options.router ?? (await testRouter());
  const rendered = render(component as Component<Record<string, unknown>>, {
    props: options.props,
    slots: options.slots,
    global: { plugins: [tab.pinia, sessionOptions({ appName: tab.appName }), router] },
  });
  return { ...rendered, ...tab, router, user: userEvent.setup() };
}

/** What an element says of itself besides its name: the text of what its aria-describedby names. */
export function descriptionOf(element: Element): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}
