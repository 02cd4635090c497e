import { redisOperation } from '@native-login/session-login';
import type { Redis } from 'ioredis';

/** A user's cart: quantity by sku. It belongs to the user, not to a session, so it outlives logins. */
export type CartLines = Map<string, number>;

export interface CartRepository {
  lines(userId: string): Promise<CartLines>;
  /** Adds to a line; undefined (and no change) when the line would exceed `maximum`. */
  add(userId: string, sku: string, quantity: number, maximum: number): Promise<number | undefined>;
  /** Sets an existing line's quantity; false when the cart has no such line. */
  update(userId: string, sku: string, quantity: number): Promise<boolean>;
  remove(userId: string, sku: string): Promise<void>;
}

// Check-and-write in one step, so two tabs adding at once can neither lose an item nor pass the limit.
const addScript = `
local quantity = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') + tonumber(ARGV[2])
if quantity > tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], quantity)
return quantity`;

const updateScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** The lines of a cart as its Redis hash holds them (sku → quantity as text). */
export function cartLinesFrom(hash: Record<string, string>): CartLines {
  return new Map(Object.entries(hash).map(([sku, quantity]) => [sku, Number(quantity)]));
}

/** Carts as Redis hashes, `<prefix>cart:<userId>` → sku → quantity. */
export class RedisCartRepository implements CartRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(userId: string): string {
    return `${this.keyPrefix}cart:${userId}`;
  }

  lines(userId: string): Promise<CartLines> {
    return redisOperation(async () => {
      return cartLinesFrom(await this.redis.hgetall(this.key(userId)));
    });
  }

  add(userId: string, sku: string, quantity: number, maximum: number): Promise<number | undefined> {
    return redisOperation(async () => {
      const result = Number(await this.redis.eval(addScript, 1, this.key(userId), sku, quantity, maximum));
      return result < 0 ? undefined : result;
    });
  }

  update(userId: string, sku: string, quantity: number): Promise<boolean> {
    return redisOperation(
      async () => Number(await this.redis.eval(updateScript, 1, this.key(userId), sku, quantity)) === 1,
    );
  }

  remove(userId: string, sku: string): Promise<void> {
    return redisOperation(async () => {
      await this.redis.hdel(this.key(userId), sku);
    });
  }
}

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

  async add(userId: string, sku: string, quantity: number, maximum: number): Promise<number | undefined> {
    const cart = this.cart(userId);
    const total = (cart.get(sku) ?? 0) + quantity;
    if (total > maximum) return undefined;
    cart.set(sku, total);
    return total;
  }

  async update(userId: string, sku: string, quantity: number): Promise<boolean> {
    const cart = this.cart(userId);
    if (!cart.has(sku)) return false;
    cart.set(sku, quantity);
    return true;
  }

  async remove(userId: string, sku: string): Promise<void> {
    this.carts.get(userId)?.delete(sku);
  }
}
