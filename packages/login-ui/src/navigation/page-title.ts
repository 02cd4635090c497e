import { toValue, watchEffect, type MaybeRefOrGetter } from 'vue';
import { useSession } from '../session/session.js';

/**
 * Names the browser tab after what the view shows ("Your cart · Store", a post's title): the tab
 * title is what a screen reader announces first after a page change, and what a list of tabs shows.
 * An undefined title (still loading) leaves the app's name alone.
 */
export function usePageTitle(title: MaybeRefOrGetter<string | undefined>): void {
  const { appName } = useSession();
  // Stopped with the component that called it, as every watcher made in a setup function is.
  watchEffect(() => {
    const page = toValue(title);
    document.title = page ? `${page} · ${appName}` : appName;
  });
}
