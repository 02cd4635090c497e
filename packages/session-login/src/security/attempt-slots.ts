import type { Redis } from 'ioredis';

/**
 * How many sign-in attempts may be in flight at once for one key (a login id, an IP). Failures are
 * counted once FusionAuth has answered, so without this a burst of parallel attempts would all pass
 * a limit that none of them had yet used up. Written here: the rate limiter counts requests, and
 * has no notion of requests in flight.
 */
export interface AttemptSlots {
  /** Takes a slot under every key, or none if any has `allowed` taken already; answers whether it did. */
  take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean>;
  give(keys: readonly string[]): Promise<void>;
}

/** A slot outlives the longest call to FusionAuth by this, so it lapses only after a crash. */
const slotLifetimeMarginMs = 30_000;

// All or nothing in one round trip: a sign-in waits for no more Redis than it must.
const takeSlots = `
for index, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[index]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[#KEYS + 1])
end
return 1`;

// Never below zero: a slot that lapsed all the same must not hand out a spare one.
const giveSlots = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end`;

export class RedisAttemptSlots implements AttemptSlots {
  private readonly slotLifetimeMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** The longest an attempt can wait for FusionAuth (its call timeout). */
    attemptTimeoutMs: number,
  ) {
    this.slotLifetimeMs = attemptTimeoutMs + slotLifetimeMarginMs;
  }

  async take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean> {
    const keys = slots.map(({ key }) => `${this.keyPrefix}${key}`);
    const limits = slots.map(({ allowed }) => allowed);
    return Number(await this.redis.eval(takeSlots, keys.length, ...keys, ...limits, this.slotLifetimeMs)) === 1;
  }

  async give(keys: readonly string[]): Promise<void> {
    await this.redis.eval(giveSlots, keys.length, ...keys.map((key) => `${this.keyPrefix}${key}`));
  }
}

export class MemoryAttemptSlots implements AttemptSlots {
  private readonly taken = new Map<string, number>();

  async take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean> {
    if (slots.some(({ key, allowed }) => (this.taken.get(key) ?? 0) >= allowed)) return false;
    for (const { key } of slots) this.taken.set(key, (this.taken.get(key) ?? 0) + 1);
    return true;
  }

  async give(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const count = (this.taken.get(key) ?? 1) - 1;
      if (count <= 0) this.taken.delete(key);
      else this.taken.set(key, count);
    }
  }
}
