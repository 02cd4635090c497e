import { z } from 'zod';
import { maximumQuantity } from './limits.js';

export const sku = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a product sku');

export const quantity = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(maximumQuantity, `must be at most ${maximumQuantity}`);

/** The cart as the SPA shows it: catalogue names and prices, line and cart totals, in the order the lines were added. */
export const cartView = z
  .object({
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        unitPriceCents: z.number().int(),
        quantity: z.number().int(),
        lineTotalCents: z.number().int(),
      }),
    ),
    itemCount: z.number().int(),
    totalCents: z.number().int(),
    currency: z.string(),
  })
  .meta({ id: 'Cart' });
export type CartView = z.infer<typeof cartView>;

export const newCartLine = z.object({ sku, quantity }).meta({ id: 'NewCartLine' });
export type NewCartLine = z.infer<typeof newCartLine>;

export const cartLineChange = z.object({ quantity }).meta({ id: 'CartLineChange' });
export type CartLineChange = z.infer<typeof cartLineChange>;

export const cartLineParams = z.object({ sku });
