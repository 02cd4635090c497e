import type { Result } from 'ioredis';
import { defineScript, type RedisClient } from '../../storage/redis-client.js';
import type { AttemptSlots } from './attempt-slots.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See `takeSlotsScript`: `numberOfKeys` first, then the keys, their limits and the slot lifetime. */
    takeAttemptSlots(numberOfKeys: number, ...keysAndArguments: Array<string | number>): Result<number, Context>;
    /** See `giveSlotsScript`. */
    giveAttemptSlots(numberOfKeys: number, ...keys: string[]): Result<unknown, Context>;
  }
}

/** A slot outlives the longest call to FusionAuth by this, so it lapses only after a crash. */
const slotLifetimeMarginMs = 30_000;

/**
 * All or nothing in one round trip: a sign-in waits for no more Redis than it must.
 *   KEYS[1..n]  one counter per limited key (the login id's, the client IP's)
 *   ARGV[1..n]  how many attempts each key may have in flight
 *   ARGV[n+1]   how long a slot lives (ms)
 * Answers 1 when a slot was taken under every key, 0 (and nothing taken) otherwise.
 */
const takeSlotsScript = `
for index, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[index]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[#KEYS + 1])
end
return 1`;

/**
 * Gives the slots back, never below zero: a slot that lapsed all the same must not hand out a spare one.
 *   KEYS[1..n]  the counters a slot was taken under
 */
const giveSlotsScript = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end`;

/**
 * Slots as counters in Redis, `<keyPrefix><key>`, shared by every instance of the app. One attempt
 * takes slots under two keys at once (the login id's and the IP's), so the prefix must carry one
 * Cluster hash tag for all of them: the app's slots then live in one slot of a Cluster.
 */
export class RedisAttemptSlots implements AttemptSlots {
  private readonly slotLifetimeMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /** The longest an attempt can wait for FusionAuth (its call timeout). */
    attemptTimeoutMs: number,
  ) {
    this.slotLifetimeMs = attemptTimeoutMs + slotLifetimeMarginMs;
    // The key count varies, so it is the first argument.
    defineScript(redis, 'takeAttemptSlots', { lua: takeSlotsScript });
    defineScript(redis, 'giveAttemptSlots', { lua: giveSlotsScript });
  }

  async take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean> {
    const keys = slots.map(({ key }) => `${this.keyPrefix}${key}`);
    const limits = slots.map(({ allowed }) => allowed);
    return Number(await this.redis.takeAttemptSlots(keys.length, ...keys, ...limits, this.slotLifetimeMs)) === 1;
  }

  async give(keys: readonly string[]): Promise<void> {
    await this.redis.giveAttemptSlots(keys.length, ...keys.map((key) => `${this.keyPrefix}${key}`));
  }
}
