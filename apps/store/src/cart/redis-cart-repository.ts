import { defineScript, redisOperation, userSlotTag, type RedisClient } from '@native-login/session-login';
import type { Result } from 'ioredis';
import type { CartLines, CartRepository } from './cart-repository.js';
import { cartLinesFrom } from './cart-repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See `addScript`. */
    cartAdd(cartKey: string, sku: string, quantity: number, maximum: number): Result<string[] | null, Context>;
    /** See `updateScript`. */
    cartUpdate(cartKey: string, sku: string, quantity: number): Result<string[] | null, Context>;
    /** See `removeScript`. */
    cartRemove(cartKey: string, sku: string): Result<string[], Context>;
  }
}

// Each script checks and writes in one step, so two tabs changing the cart at once can neither lose
// an item nor pass the limit, and answers the cart it leaves (the hash as a flat [sku, quantity, ...]
// list), so the change and the answer share one round trip. KEYS[1] is the user's cart hash.

/** ARGV: sku, quantity to add, the most a line may hold. Answers nil, changing nothing, past the limit. */
const addScript = `
local quantity = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') + tonumber(ARGV[2])
if quantity > tonumber(ARGV[3]) then return false end
redis.call('HSET', KEYS[1], ARGV[1], quantity)
return redis.call('HGETALL', KEYS[1])`;

/** ARGV: sku, the line's new quantity. Answers nil when the cart has no such line. */
const updateScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])`;

/** ARGV: sku. */
const removeScript = `
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])`;

/**
 * A user's cart: `<prefix>cart:{<tag>}:<userId>`, under the user's Cluster hash tag, so that it
 * lives in the slot of their sessions.
 */
export function cartKey(keyPrefix: string, userId: string): string {
  return `${keyPrefix}cart:{${userSlotTag(userId)}}:${userId}`;
}

/** Carts as Redis hashes (see cartKey) → sku → quantity. */
export class RedisCartRepository implements CartRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {
    defineScript(redis, 'cartAdd', { numberOfKeys: 1, lua: addScript });
    defineScript(redis, 'cartUpdate', { numberOfKeys: 1, lua: updateScript });
    defineScript(redis, 'cartRemove', { numberOfKeys: 1, lua: removeScript });
  }

  private key(userId: string): string {
    return cartKey(this.keyPrefix, userId);
  }

  lines(userId: string): Promise<CartLines> {
    return redisOperation(async () => cartLinesFrom(await this.redis.hgetall(this.key(userId))));
  }

  add(userId: string, sku: string, quantity: number, maximum: number): Promise<CartLines | undefined> {
    return redisOperation(async () => linesOf(await this.redis.cartAdd(this.key(userId), sku, quantity, maximum)));
  }

  update(userId: string, sku: string, quantity: number): Promise<CartLines | undefined> {
    return redisOperation(async () => linesOf(await this.redis.cartUpdate(this.key(userId), sku, quantity)));
  }

  remove(userId: string, sku: string): Promise<CartLines> {
    return redisOperation(
      async () => linesOf(await this.redis.cartRemove(this.key(userId), sku)) ?? new Map<string, number>(),
    );
  }
}

/** A script's answer: the hash as a flat [field, value, ...] list, or nil when it changed nothing. */
function linesOf(answer: string[] | null): CartLines | undefined {
  if (!Array.isArray(answer)) return undefined;
  const lines: CartLines = new Map();
  for (let index = 0; index < answer.length; index += 2) lines.set(String(answer[index]), Number(answer[index + 1]));
  return lines;
}
