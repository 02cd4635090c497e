import type { CartLines, CartRepository } from './cart-repository.js';

/** The embedded store's carts, for development without Redis. */
export class MemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, CartLines>();

  private cart(userId: string): CartLines {
    let cart = this.carts.get(userId);
    if (!cart) {
      cart = new Map();
      this.carts.set(userId, cart);
    }
    return cart;
  }

  async lines(userId: string): Promise<CartLines> {
    return new Map(this.carts.get(userId));
  }

  async add(userId: string, sku: string, quantity: number, maximum: number): Promise<CartLines | undefined> {
    const cart = this.cart(userId);
    const total = (cart.get(sku) ?? 0) + quantity;
    if (total > maximum) return undefined;
    cart.set(sku, total);
    return new Map(cart);
  }

  async update(userId: string, sku: string, quantity: number): Promise<CartLines | undefined> {
    const cart = this.cart(userId);
    if (!cart.has(sku)) return undefined;
    cart.set(sku, quantity);
    return new Map(cart);
  }

  async remove(userId: string, sku: string): Promise<CartLines> {
    this.carts.get(userId)?.delete(sku);
    return this.lines(userId);
  }
}
