import { defineComponent, type Component } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';

/** The pages the links in the account emails open, by their path: `/reset-password#id=…`, `/verify-email#id=…`. */
export type EmailLinkPage = 'reset-password' | 'verify-email';

const pages: readonly string[] = ['reset-password', 'verify-email'] satisfies EmailLinkPage[];

/** The email link's page at `path`, if it is one. */
export function emailLinkPageAt(path: string): EmailLinkPage | null {
  const page = path.slice(1);
  return pages.includes(page) ? (page as EmailLinkPage) : null;
}

/** SessionGate shows the pages itself, whoever is signed in: the route has nothing of its own to render. */
const shownBySessionGate: Component = defineComponent({ name: 'EmailLinkRoute', render: () => null });

/**
 * The routes of the email links' pages, for an app to list before its catch-all: a catch-all that
 * redirects would take the path away, and SessionGate would never know a link was opened.
 */
export const emailLinkRoutes: RouteRecordRaw[] = pages.map((page) => ({
  path: `/${page}`,
  component: shownBySessionGate,
}));

/**
 * The id an email link carries (`#id=…`), taken out of the address as its page opens: until it is
 * used it is as good as a password (a reset link's sets the account's password), and it must stay
 * neither in the history nor in a bookmark. It travels in the fragment, which the browser never
 * sends: no server, proxy or log on the way sees it. Null when the link has none.
 */
export function takeEmailLinkId(router: Router): string | null {
  const { path, query, hash } = router.currentRoute.value;
  const fragment = new URLSearchParams(hash.slice(1));
  const id = fragment.get('id');
  if (id === null) return null;
  fragment.delete('id');
  const rest = fragment.toString();
  void router.replace({ path, query, hash: rest === '' ? '' : `#${rest}` });
  return id || null;
}
