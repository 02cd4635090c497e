import { nextTick } from 'vue';

/**
 * Moves the keyboard focus to the `index`th entry of a list that has just grown (or to what
 * `selector` finds in it), once it is on screen: someone who asked for more carries on reading
 * from the first new entry, not from the top of the page or a button that may be gone.
 */
export async function focusEntry(list: HTMLElement | null, index: number, selector?: string): Promise<void> {
  await nextTick();
  const entry = list?.children[index];
  const target = selector === undefined ? entry : entry?.querySelector(selector);
  if (target instanceof HTMLElement) target.focus();
}
