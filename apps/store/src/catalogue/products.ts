import type { Product } from '../schemas/products.js';

export const currency = 'USD';

/** The Store's catalogue. Prices are whole cents, so totals never meet floating-point rounding. */
export const products: readonly Product[] = [
  { sku: 'tea-sencha', name: 'Sencha green tea', description: 'Steamed Japanese green tea, 100 g.', priceCents: 1200 },
  { sku: 'tea-earl-grey', name: 'Earl Grey', description: 'Black tea with bergamot, 100 g.', priceCents: 1000 },
  { sku: 'tea-rooibos', name: 'Rooibos', description: 'Caffeine-free red bush tea, 100 g.', priceCents: 900 },
  { sku: 'mug-stoneware', name: 'Stoneware mug', description: 'Glazed, 350 ml.', priceCents: 1800 },
  { sku: 'teapot-cast-iron', name: 'Cast-iron teapot', description: 'Enamelled inside, 800 ml.', priceCents: 4200 },
  { sku: 'kettle-gooseneck', name: 'Gooseneck kettle', description: 'For a slow, even pour, 1 l.', priceCents: 5400 },
  { sku: 'strainer-steel', name: 'Tea strainer', description: 'Fine stainless-steel mesh.', priceCents: 600 },
];

const bySku = new Map(products.map((product) => [product.sku, product]));

export function productBySku(sku: string): Product | undefined {
  return bySku.get(sku);
}
