import { render, screen } from '@testing-library/vue';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import QuantityStepper from '../src/components/QuantityStepper.vue';

/**
 * A cart line's stepper, at `start` of at most 99: the line takes each quantity asked for at once,
 * as CartView does (the cart store's `quantityOf`).
 */
function stepper(start: number) {
  const asked: number[] = [];
  const CartLine = defineComponent({
    name: 'CartLine',
    setup() {
      const quantity = ref(start);
      return () =>
        h(QuantityStepper, {
          quantity: quantity.value,
          min: 1,
          max: 99,
          productName: 'Earl Grey',
          onChange: (wanted: number) => {
            asked.push(wanted);
            quantity.value = wanted;
          },
        });
    },
  });
  render(CartLine);
  return {
    user: userEvent.setup(),
    field: () => screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Quantity of Earl Grey' }),
    fewer: () => screen.getByRole('button', { name: 'One fewer Earl Grey' }),
    more: () => screen.getByRole('button', { name: 'One more Earl Grey' }),
    /** Every quantity asked for, in order. */
    asked: () => [...asked],
    /** What the field says of itself: its limits, and the message about what was typed. */
    description: () =>
      (screen.getByRole('spinbutton').getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .filter(Boolean)
        .join(' '),
  };
}

describe('the quantity stepper', () => {
  it('asks for one fewer with − and one more with +', async () => {
    const { user, fewer, more, asked, field, description } = stepper(3);
    expect(field().value).toBe('3');
    expect(description()).toBe('From 1 to 99.');

    await user.click(more());
    expect(field().value).toBe('4');
    await user.click(fewer());
    await user.click(fewer());
    expect(field().value).toBe('2');
    expect(asked()).toEqual([4, 3, 2]);
  });

  it('says that − is unavailable at the smallest quantity, and asks for nothing', async () => {
    const { user, fewer, more, asked } = stepper(1);
    expect(fewer().getAttribute('aria-disabled')).toBe('true');
    expect(more().getAttribute('aria-disabled')).toBe('false');

    await user.click(fewer());
    expect(asked()).toEqual([]);
  });

  it('says that + is unavailable at the largest quantity, and keeps the focus on it', async () => {
    const { user, more, asked } = stepper(98);

    await user.click(more());
    expect(asked()).toEqual([99]);
    expect(more().getAttribute('aria-disabled')).toBe('true');
    // aria-disabled, not disabled: the focus does not fall to the page.
    expect(document.activeElement).toBe(more());

    await user.click(more());
    expect(asked()).toEqual([99]);
  });

  it('asks for a typed quantity as it is typed', async () => {
    const { user, field, asked, description } = stepper(3);

    await user.clear(field());
    await user.type(field(), '12');
    expect(asked()).toEqual([1, 12]);
    await user.tab();
    expect(field().value).toBe('12');
    expect(asked()).toEqual([1, 12]);
    expect(description()).toBe('From 1 to 99.');
    expect(field().getAttribute('aria-invalid')).toBe('false');
  });

  it('brings a quantity over the limit down to it when the field is left, and says so', async () => {
    const { user, field, asked, description } = stepper(3);

    await user.clear(field());
    await user.type(field(), '150');
    expect(asked()).toEqual([1, 15]);
    await user.tab();
    expect(field().value).toBe('99');
    expect(asked()).toEqual([1, 15, 99]);
    expect(description()).toBe('From 1 to 99. At most 99 of a product fit in one cart, so this is now 99.');
    expect(field().getAttribute('aria-invalid')).toBe('true');
  });

  it('brings 0 up to 1 when the field is left, and says how to take the product out', async () => {
    const { user, field, asked, description } = stepper(3);

    await user.clear(field());
    await user.type(field(), '0');
    expect(asked()).toEqual([]);
    await user.tab();
    expect(field().value).toBe('1');
    expect(asked()).toEqual([1]);
    expect(description()).toBe('From 1 to 99. The smallest quantity is 1; to take it out of the cart, use Remove.');
  });

  it('says what an emptied field needs, and shows the quantity again', async () => {
    const { user, field, asked, description } = stepper(3);

    await user.clear(field());
    await user.tab();
    expect(field().value).toBe('3');
    expect(asked()).toEqual([]);
    expect(description()).toBe('From 1 to 99. Enter a quantity from 1 to 99.');
  });

  it('drops its message with the next quantity asked for', async () => {
    const { user, field, more, description } = stepper(3);
    await user.clear(field());
    await user.tab();
    expect(description()).toContain('Enter a quantity');

    await user.click(more());
    expect(description()).toBe('From 1 to 99.');
    expect(field().getAttribute('aria-invalid')).toBe('false');
  });
});
