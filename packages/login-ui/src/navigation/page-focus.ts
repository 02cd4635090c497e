import { nextTick } from 'vue';

/**
 * Moves the keyboard focus to the heading of the page now on screen (its `h1`, made focusable
 * with `tabindex="-1"`), or to the page's `main` if it has none yet. After a route change or a
 * sign-in the focus would otherwise stay on a link that is gone, or fall to `<body>`, and a
 * screen reader would not say that anything changed: a focused heading is read out.
 */
export async function focusPageHeading(options: { unlessFocused?: boolean } = {}): Promise<void> {
  await nextTick();
  // Something on the page already took the focus on purpose (a restored draft, say): it stays.
  const focused = document.activeElement;
  if (options.unlessFocused && focused !== null && focused !== document.body) return;
  const main = document.getElementById('main');
  const heading = main?.querySelector<HTMLElement>('h1') ?? null;
  const target = heading ?? main;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}
