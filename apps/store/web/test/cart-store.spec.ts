import { describe, expect, it } from 'vitest';
import { watch } from 'vue';
import { useCart } from '../src/stores/cart.js';
import { fakeStore } from './support/fake-store.js';
import { openTab } from '../../../../test/web/app.js';
import { alice, failure, fakeBackend } from '../../../../test/web/fake-backend.js';

/** Alice, signed in, with these lines in her cart on the server; her cart store, not loaded yet. */
async function alicesCart(lines: [sku: string, quantity: number][] = []) {
  const backend = fakeBackend();
  const store = fakeStore(backend);
  backend.signIn(alice);
  for (const [sku, quantity] of lines) store.put(alice, sku, quantity);
  const tab = openTab();
  await tab.session.refresh();
  return { backend, store, cart: useCart(tab.pinia) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the cart store', () => {
  it("loads the signed-in user's cart", async () => {
    const { cart } = await alicesCart([['tea-earl-grey', 2]]);

    await cart.load();
    expect(cart.cart?.items).toEqual([
      { sku: 'tea-earl-grey', name: 'Earl Grey', unitPriceCents: 1000, quantity: 2, lineTotalCents: 2000 },
    ]);
    expect(cart.cart?.itemCount).toBe(2);
    expect(cart.pending).toBe(false);
  });

  it('runs its calls one after another, in the order they were made', async () => {
    const { backend, cart } = await alicesCart();
    const slowLoad = backend.hold('GET', '/api/cart');

    const loaded = cart.load();
    const added = cart.add('tea-sencha');
    await slowLoad.reached;
    await settle();
    expect(backend.callsTo('POST', '/api/cart/items')).toHaveLength(0);
    expect(cart.pending).toBe(true);

    slowLoad.release();
    await Promise.all([loaded, added]);
    expect(backend.requests.map(({ method, path }) => `${method} ${path}`).slice(-2)).toEqual([
      'GET /api/cart',
      'POST /api/cart/items',
    ]);
    // The add's answer landed last: the load did not put back a cart without it.
    expect(cart.cart?.items.map(({ sku, quantity }) => [sku, quantity])).toEqual([['tea-sencha', 1]]);
    expect(cart.pending).toBe(false);
  });

  it('loses no key press: five quick changes end with the fifth on the server, shown at once', async () => {
    const { backend, store, cart } = await alicesCart([['tea-sencha', 1]]);
    await cart.load();
    const path = '/api/cart/items/tea-sencha';
    const firstChange = backend.hold('PATCH', path);

    const changes = [cart.setQuantity('tea-sencha', 2)];
    await firstChange.reached;
    for (const quantity of [3, 4, 5, 6]) changes.push(cart.setQuantity('tea-sencha', quantity));
    expect(cart.quantityOf('tea-sencha', 1)).toBe(6);

    // The first answer (2) lands while the latest quantity is on its way: the line still shows 6.
    const latestChange = backend.hold('PATCH', path);
    firstChange.release();
    await latestChange.reached;
    expect(cart.cart?.items[0]?.quantity).toBe(2);
    expect(cart.quantityOf('tea-sencha', 2)).toBe(6);

    latestChange.release();
    await Promise.all(changes);
    // The changes made while the first was on its way went as one, with the latest quantity.
    expect(backend.callsTo('PATCH', path).map(({ body }) => body)).toEqual([{ quantity: 2 }, { quantity: 6 }]);
    expect(store.cartOf(alice)).toEqual([['tea-sencha', 6]]);
    expect(cart.cart?.items[0]?.quantity).toBe(6);
    expect(cart.quantityOf('tea-sencha', 6)).toBe(6);
  });

  it('says what went wrong, until the next call that works', async () => {
    const { store, cart } = await alicesCart([['tea-sencha', 1]]);
    await cart.load();
    // Another tab took the line out.
    store.put(alice, 'tea-sencha', 0);

    await cart.setQuantity('tea-sencha', 3);
    expect(cart.error).toBe('tea-sencha is not in the cart.');
    expect(cart.quantityOf('tea-sencha', 1)).toBe(1);

    await cart.load();
    expect(cart.error).toBeNull();
    expect(cart.cart?.items).toEqual([]);
  });

  it('goes on with the calls after one that failed', async () => {
    const { backend, store, cart } = await alicesCart();
    backend.answerNext('POST', '/api/cart/items', failure(503, 'unavailable', 'The cart is unavailable right now.'));
    const shown: (string | null)[] = [];
    watch(
      () => cart.error,
      (message) => shown.push(message),
      { flush: 'sync' },
    );

    await Promise.all([cart.add('tea-sencha'), cart.add('mug-stoneware', 2)]);
    // The message was up until the next call started, which worked.
    expect(shown).toEqual(['The cart is unavailable right now.', null]);
    expect(store.cartOf(alice)).toEqual([['mug-stoneware', 2]]);
    expect(cart.cart?.items.map(({ sku, quantity }) => [sku, quantity])).toEqual([['mug-stoneware', 2]]);
  });

  it('says when the server cannot be reached', async () => {
    const { backend, cart } = await alicesCart();
    backend.answerNext('GET', '/api/cart', 'network-error');

    await cart.load();
    expect(cart.cart).toBeNull();
    expect(cart.error).toBe('The server cannot be reached. Check your connection and try again.');
  });

  it('forgets the cart when its user signs out', async () => {
    const { cart } = await alicesCart([['tea-sencha', 1]]);
    await cart.load();

    cart.forget();
    expect(cart.cart).toBeNull();
    expect(cart.error).toBeNull();
  });
});
