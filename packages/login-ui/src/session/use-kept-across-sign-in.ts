import { onBeforeUnmount, onMounted, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import { useSession } from './session.js';

/**
 * Keeps a component's text fields across a sign-in on FusionAuth's page, which leaves the SPA:
 * they are saved just before the browser goes there, and put back when the component is shown
 * again to the same user (with the focus, if it was in one of them). Across a sign-in with the
 * embedded form they simply stay in memory, as the app stays mounted under it.
 *
 * `key` names the component's entry; a getter is read again when the page is left, so a view that
 * shows one post after another keeps the draft of the one on screen. `restored` says whether the
 * fields came back: the request the user had started did not reach the server, and they may need
 * telling.
 */
export function useKeptAcrossSignIn(
  key: MaybeRefOrGetter<string>,
  fields: Record<string, Ref<string>>,
): { restored: boolean } {
  const { kept } = useSession();
  const saved = kept.take(toValue(key));
  if (saved) {
    for (const [name, field] of Object.entries(fields)) {
      const value = saved[name];
      if (value !== undefined) field.value = value;
    }
  }
  const forget = kept.register(() => ({
    key: toValue(key),
    fields: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.value])),
  }));
  onBeforeUnmount(forget);
  onMounted(() => {
    if (saved) kept.takeFocus()?.focus();
  });
  return { restored: saved !== undefined };
}
