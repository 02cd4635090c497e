import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../src/format.js';
import { useCart } from '../src/stores/cart.js';
import CartView from '../src/views/CartView.vue';
import { fakeStore } from './support/fake-store.js';
import { mount, openTab } from '../../../../test/web/app.js';
import { alice, fakeBackend } from '../../../../test/web/fake-backend.js';

/** Alice's cart page, with these lines on the server, loaded as App.vue loads it when she signs in. */
async function cartPage(lines: [sku: string, quantity: number][]) {
  const backend = fakeBackend();
  const store = fakeStore(backend);
  backend.signIn(alice);
  for (const [sku, quantity] of lines) store.put(alice, sku, quantity);
  const tab = openTab();
  await tab.session.refresh();
  await useCart(tab.pinia).load();
  const view = await mount(CartView, { tab });
  return { backend, store, ...view };
}

const row = (product: string) => screen.getByRole('rowheader', { name: product }).closest('tr') as HTMLElement;
const usd = (cents: number) => formatMoney(cents, 'USD');
// "Undo" and its hidden ": put … back" are two text nodes, which the name joins with a space here.
const undoButton = 'Undo: put Earl Grey back';

describe('the cart page', () => {
  it('lists the lines with their quantities, line totals and the total', async () => {
    await cartPage([
      ['tea-earl-grey', 3],
      ['mug-stoneware', 1],
    ]);

    expect(screen.getByRole('heading', { name: 'Your cart' })).toBeTruthy();
    expect(within(row('Earl Grey')).getByRole<HTMLInputElement>('spinbutton').value).toBe('3');
    expect(within(row('Earl Grey')).getByText(usd(3000))).toBeTruthy();
    expect(within(row('Stoneware mug')).getByRole<HTMLInputElement>('spinbutton').value).toBe('1');
    expect(screen.getByTestId('cart-total').textContent).toBe(usd(4800));
    expect(document.title).toBe('Your cart · Store');
  });

  it('says the cart is empty, with a way to the products', async () => {
    await cartPage([]);

    expect(screen.getByText(/Your cart is empty/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Browse the products.' }).getAttribute('href')).toBe('/');
  });

  it('changes a quantity with the stepper, on the server and in the totals', async () => {
    const { store, user } = await cartPage([['tea-earl-grey', 3]]);

    await user.click(screen.getByRole('button', { name: 'One more Earl Grey' }));
    await vi.waitFor(() => expect(screen.getByTestId('cart-total').textContent).toBe(usd(4000)));
    expect(store.cartOf(alice)).toEqual([['tea-earl-grey', 4]]);
  });

  it('takes a line out with Remove, says so, and moves the focus to Undo', async () => {
    const { store, user } = await cartPage([
      ['tea-earl-grey', 3],
      ['mug-stoneware', 1],
    ]);

    await user.click(screen.getByRole('button', { name: 'Remove Earl Grey' }));
    await vi.waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Earl Grey' })).toBeNull());
    expect(screen.getByText(/Earl Grey is out of your cart/)).toBeTruthy();
    const undo = screen.getByRole('button', { name: undoButton });
    await vi.waitFor(() => expect(document.activeElement).toBe(undo));
    expect(store.cartOf(alice)).toEqual([['mug-stoneware', 1]]);
  });

  it('puts the line back with its quantity with Undo, and the focus on its quantity', async () => {
    const { store, user } = await cartPage([
      ['tea-earl-grey', 3],
      ['mug-stoneware', 1],
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove Earl Grey' }));
    const undo = await screen.findByRole('button', { name: undoButton });

    await user.click(undo);
    await vi.waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Earl Grey' })).not.toBeNull());
    const quantity = within(row('Earl Grey')).getByRole<HTMLInputElement>('spinbutton', {
      name: 'Quantity of Earl Grey',
    });
    expect(quantity.value).toBe('3');
    await vi.waitFor(() => expect(document.activeElement).toBe(quantity));
    expect(screen.queryByRole('button', { name: /Undo/ })).toBeNull();
    // Back in the cart, at its end: a line is re-added.
    expect(store.cartOf(alice)).toEqual([
      ['mug-stoneware', 1],
      ['tea-earl-grey', 3],
    ]);
  });

  it('keeps the line, and says why, when Remove fails', async () => {
    const { backend, user } = await cartPage([['tea-earl-grey', 3]]);
    backend.answerNext('DELETE', '/api/cart/items/tea-earl-grey', 'network-error');

    await user.click(screen.getByRole('button', { name: 'Remove Earl Grey' }));
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'The server cannot be reached. Check your connection and try again.',
      ),
    );
    expect(row('Earl Grey')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Undo/ })).toBeNull();
  });
});
