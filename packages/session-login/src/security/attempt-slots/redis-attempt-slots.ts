import type { Result } from 'ioredis';
import { defineScript, type RedisClient } from '../../storage/redis-client.js';
import type { AttemptSlotPair, AttemptSlots } from './attempt-slots.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See `takeSlotsScript`. */
    takeAttemptSlots(
      accountKey: string,
      ipKey: string,
      accountAllowed: number,
      ipAllowed: number,
      slotLifetimeMs: number,
    ): Result<number, Context>;
    /** See `giveSlotsScript`. */
    giveAttemptSlots(accountKey: string, ipKey: string): Result<null, Context>;
  }
}

/** A slot outlives the longest call to FusionAuth by this, so it lapses only after a crash. */
const slotLifetimeMarginMs = 30_000;

/**
 * All or nothing in one round trip: a sign-in waits for no more Redis than it must.
 *   KEYS[1..2]  one counter per limited key: the login id's, the client IP's
 *   ARGV[1..2]  how many attempts each key may have in flight
 *   ARGV[3]     how long a slot lives (ms)
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
 *   KEYS[1..2]  the counters a slot was taken under
 */
const giveSlotsScript = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end`;

/**
 * Where an app's slots live, `<keyPrefix>{login-slots}:`: one attempt takes slots under two keys at
 * once (the login id's and the IP's), so every slot key carries one Cluster hash tag, and all of
 * them live in one slot of a Cluster.
 */
export const attemptSlotsNamespace = (keyPrefix: string) => `${keyPrefix}{login-slots}:`;

/** Slots as counters in Redis, `<namespace><key>` (see attemptSlotsNamespace), shared by every instance of the app. */
export class RedisAttemptSlots implements AttemptSlots {
  private readonly slotLifetimeMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /** The longest an attempt can wait for FusionAuth (its call timeout). */
    attemptTimeoutMs: number,
  ) {
    this.slotLifetimeMs = attemptTimeoutMs + slotLifetimeMarginMs;
    // Defined now, before any request (see defineScript).
    defineScript(redis, 'takeAttemptSlots', { numberOfKeys: 2, lua: takeSlotsScript });
    defineScript(redis, 'giveAttemptSlots', { numberOfKeys: 2, lua: giveSlotsScript });
  }

  async take([account, ip]: AttemptSlotPair): Promise<boolean> {
    const answer = await this.redis.takeAttemptSlots(
      `${this.keyPrefix}${account.key}`,
      `${this.keyPrefix}${ip.key}`,
      account.allowed,
      ip.allowed,
      this.slotLifetimeMs,
    );
    return answer === 1;
  }

  async give([account, ip]: readonly [account: string, ip: string]): Promise<void> {
    await this.redis.giveAttemptSlots(`${this.keyPrefix}${account}`, `${this.keyPrefix}${ip}`);
  }
}
