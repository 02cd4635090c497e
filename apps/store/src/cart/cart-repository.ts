import { redisOperation } from '@native-login/session-login';
import type { Redis } from 'ioredis';

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

// Check-and-write in one step, so two tabs adding at once can neither lose an item nor pass the
// limit; the script answers the cart it leaves, so the change and the answer share one round trip.
const addScript = `
local quantity = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') + tonumber(ARGV[2])
if quantity > tonumber(ARGV[3]) then return false end
redis.call('HSET', KEYS[1], ARGV[1], quantity)
return redis.call('HGETALL', KEYS[1])`;

const removeScript = `
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])`;

const updateScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])`;

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

  add(userId: string, sku: string, quantity: number, maximum: number): Promise<CartLines | undefined> {
    return redisOperation(async () =>
      linesOfScript(await this.redis.eval(addScript, 1, this.key(userId), sku, quantity, maximum)),
    );
  }

  update(userId: string, sku: string, quantity: number): Promise<CartLines | undefined> {
    return redisOperation(async () =>
      linesOfScript(await this.redis.eval(updateScript, 1, this.key(userId), sku, quantity)),
    );
  }

  remove(userId: string, sku: string): Promise<CartLines> {
    return redisOperation(async () => {
      return linesOfScript(await this.redis.eval(removeScript, 1, this.key(userId), sku)) ?? new Map();
    });
  }
}

/** A script's answer: the hash as a flat [field, value, ...] list, or nil when it changed nothing. */
function linesOfScript(answer: unknown): CartLines | undefined {
  if (!Array.isArray(answer)) return undefined;
  const lines: CartLines = new Map();
  for (let index = 0; index < answer.length; index += 2) lines.set(String(answer[index]), Number(answer[index + 1]));
  return lines;
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
