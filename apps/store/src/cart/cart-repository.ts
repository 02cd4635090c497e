/** A user's cart: quantity by sku. It belongs to the user, not to a session, so it outlives logins. */
export type CartLines = Map<string, number>;

export interface CartRepository {
  lines(userId: string): Promise<CartLines>;
  /** Adds to a line and answers the cart; undefined (and no change) when the line would exceed `maximum`. */
  add(userId: string, sku: string, quantity: number, maximum: number): Promise<CartLines | undefined>;
  /** Sets an existing line's quantity and answers the cart; undefined when the cart has no such line. */
  update(userId: string, sku: string, quantity: number): Promise<CartLines | undefined>;
  /** Removes a line (if there is one) and answers the cart. */
  remove(userId: string, sku: string): Promise<CartLines>;
}

/** The lines of a cart as its Redis hash holds them (sku → quantity as text). */
export function cartLinesFrom(hash: Record<string, string>): CartLines {
  return new Map(Object.entries(hash).map(([sku, quantity]) => [sku, Number(quantity)]));
}
