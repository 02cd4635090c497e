import { currency, productBySku } from '../catalogue/products.js';
import type { CartView } from '../schemas/cart.js';
import type { CartLines } from './cart-repository.js';

/** The cart as the SPA shows it: catalogue names and prices, line and cart totals, in the order the lines were added. */
export function viewCart(lines: CartLines): CartView {
  const items = [...lines].flatMap(([sku, quantity]) => {
    const product = productBySku(sku);
    // A product no longer sold drops out of the view; the line stays until the user edits the cart.
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
    currency,
  };
}
