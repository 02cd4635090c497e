import { nextTick, toValue, type MaybeRefOrGetter } from 'vue';

type Container = MaybeRefOrGetter<HTMLElement | null | undefined>;

/**
 * Moves the keyboard focus to the first field of the card now shown in `container` (the link to
 * FusionAuth's page when it has none, the card's heading when it has neither, as the page that
 * checks a verification link), once it is rendered: a card that replaces another would otherwise
 * leave the focus on a button that is gone, and a screen reader would not say what changed.
 * A ref, not its value: the container may itself be replaced by the same render.
 */
export async function focusFirstField(container: Container): Promise<void> {
  await nextTick();
  const shown = toValue(container);
  const field = shown?.querySelector<HTMLElement>('input, a[href]');
  if (field) {
    field.focus();
    return;
  }
  const heading = shown?.querySelector<HTMLElement>('h1');
  if (!heading) return;
  // Focusable by script only: the heading is no stop of the Tab order.
  heading.tabIndex = -1;
  heading.focus();
}

/**
 * Moves the focus to the first field of `form` with a problem (`aria-invalid`), once it is shown:
 * the field is read out with its problem (aria-describedby), and is where the fix is typed.
 */
export async function focusFirstProblem(form: Container): Promise<void> {
  await nextTick();
  toValue(form)?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
