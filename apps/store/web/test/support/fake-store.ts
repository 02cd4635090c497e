import {
  cartLineChange,
  cartLineParams,
  maximumQuantity,
  newCartLine,
  type CartView,
  type Product,
} from '@native-login/store/schemas';
import {
  failure,
  ok,
  validationFailure,
  type Account,
  type FakeBackend,
} from '../../../../../test/web/fake-backend.js';

/** The catalogue the Store tests shop from. */
export const teas: Product[] = [
  { sku: 'tea-sencha', name: 'Sencha green tea', description: 'Steamed Japanese green tea, 100 g.', priceCents: 1200 },
  { sku: 'tea-earl-grey', name: 'Earl Grey', description: 'Black tea with bergamot, 100 g.', priceCents: 1000 },
  { sku: 'mug-stoneware', name: 'Stoneware mug', description: 'Glazed, 350 ml.', priceCents: 1800 },
];

/**
 * The Store's own routes on the fake backend, as apps/store/src/routes answers them: the public
 * catalogue, and the cart behind the session guard, one per user, its lines in the order they were
 * added, at most `maximumQuantity` of each product.
 */
export function fakeStore(backend: FakeBackend, products: readonly Product[] = teas) {
  const carts = new Map<string, Map<string, number>>();
  const linesOf = (userId: string) => {
    let lines = carts.get(userId);
    if (!lines) {
      lines = new Map();
      carts.set(userId, lines);
    }
    return lines;
  };
  const view = (lines: Map<string, number>): CartView => {
    const items = [...lines].flatMap(([sku, quantity]) => {
      const product = products.find((candidate) => candidate.sku === sku);
      return product
        ? [
            {
              sku,
              name: product.name,
              unitPriceCents: product.priceCents,
              quantity,
              lineTotalCents: product.priceCents * quantity,
            },
          ]
        : [];
    });
    return {
      items,
      itemCount: items.reduce((count, item) => count + item.quantity, 0),
      totalCents: items.reduce((total, item) => total + item.lineTotalCents, 0),
      currency: 'USD',
    };
  };

  backend.route('GET', '/api/products', 'public', () => ok({ products: [...products], currency: 'USD' }));

  backend.route('GET', '/api/cart', 'guarded', ({ user }) => ok(view(linesOf(user.id))));

  backend.route('POST', '/api/cart/items', 'guarded', ({ user, body }) => {
    const parsed = newCartLine.safeParse(body);
    if (!parsed.success) return validationFailure('body', parsed.error.issues);
    const { sku, quantity } = parsed.data;
    if (!products.some((product) => product.sku === sku))
      return failure(400, 'unknown_sku', `There is no product ${sku}.`);
    const lines = linesOf(user.id);
    const total = (lines.get(sku) ?? 0) + quantity;
    if (total > maximumQuantity) {
      return failure(400, 'quantity_limit', `A cart holds at most ${maximumQuantity} of each product.`);
    }
    lines.set(sku, total);
    return ok(view(lines));
  });

  backend.route('PATCH', '/api/cart/items/:sku', 'guarded', ({ user, params, body }) => {
    const line = cartLineParams.safeParse(params);
    if (!line.success) return validationFailure('params', line.error.issues);
    const change = cartLineChange.safeParse(body);
    if (!change.success) return validationFailure('body', change.error.issues);
    const lines = linesOf(user.id);
    if (!lines.has(line.data.sku)) return failure(404, 'not_in_cart', `${line.data.sku} is not in the cart.`);
    lines.set(line.data.sku, change.data.quantity);
    return ok(view(lines));
  });

  backend.route('DELETE', '/api/cart/items/:sku', 'guarded', ({ user, params }) => {
    const line = cartLineParams.safeParse(params);
    if (!line.success) return validationFailure('params', line.error.issues);
    const lines = linesOf(user.id);
    lines.delete(line.data.sku);
    return ok(view(lines));
  });

  return {
    /** Puts `quantity` of a product in the account's cart, as an earlier visit (or another tab) did; 0 takes it out. */
    put(account: Account, sku: string, quantity: number): void {
      if (quantity === 0) linesOf(account.user.id).delete(sku);
      else linesOf(account.user.id).set(sku, quantity);
    },

    /** The account's cart on the server: each product's quantity, in the order the lines were added. */
    cartOf(account: Account): [sku: string, quantity: number][] {
      return [...linesOf(account.user.id)];
    },
  };
}
