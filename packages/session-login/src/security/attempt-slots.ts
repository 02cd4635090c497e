import type { Redis } from 'ioredis';

/**
 * How many sign-in attempts may be in flight at once for one key (a login id, an IP). Failures are
 * counted once FusionAuth has answered, so without this a burst of parallel attempts would all pass
 * a limit that none of them had yet used up. Written here: the rate limiter counts requests, and
 * has no notion of requests in flight.
 */
export interface AttemptSlots {
  /** Takes a slot if fewer than `allowed` are taken; answers whether it did. */
  take(key: string, allowed: number): Promise<boolean>;
  give(key: string): Promise<void>;
}

/** A slot outlives a crashed request by no more than this. */
const slotLifetimeMs = 30_000;

export class RedisAttemptSlots implements AttemptSlots {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async take(key: string, allowed: number): Promise<boolean> {
    const slot = `${this.keyPrefix}${key}`;
    const [[, taken] = []] = (await this.redis.multi().incr(slot).pexpire(slot, slotLifetimeMs).exec()) ?? [];
    if (Number(taken) <= allowed) return true;
    await this.redis.decr(slot);
    return false;
  }

  async give(key: string): Promise<void> {
    await this.redis.decr(`${this.keyPrefix}${key}`);
  }
}

export class MemoryAttemptSlots implements AttemptSlots {
  private readonly taken = new Map<string, number>();

  async take(key: string, allowed: number): Promise<boolean> {
    const count = (this.taken.get(key) ?? 0) + 1;
    if (count > allowed) return false;
    this.taken.set(key, count);
    return true;
  }

  async give(key: string): Promise<void> {
    const count = (this.taken.get(key) ?? 1) - 1;
    if (count <= 0) this.taken.delete(key);
    else this.taken.set(key, count);
  }
}
