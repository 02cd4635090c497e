import { z } from 'zod';

/** A product of the catalogue. Prices are whole cents, so totals never meet floating-point rounding. */
export const product = z
  .object({
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    priceCents: z.number().int(),
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof product>;

export const catalogue = z.object({ products: z.array(product), currency: z.string() }).meta({ id: 'Catalogue' });
export type Catalogue = z.infer<typeof catalogue>;
