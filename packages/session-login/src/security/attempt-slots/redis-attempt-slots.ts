import { defineScript, type RedisClient } from '../../storage/redis-client.js';
import type { AttemptSlots } from './attempt-slots.js';

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
  }

  /**
   * The script for `count` keys, defined on first use: a script's key count is fixed (see
   * defineScript), and the throttle decides how many keys an attempt holds.
   */
  private script(
    kind: 'take' | 'give',
    count: number,
  ): (...keysAndArguments: Array<string | number>) => Promise<unknown> {
    const name = `${kind}AttemptSlots${count}`;
    defineScript(this.redis, name, { numberOfKeys: count, lua: kind === 'take' ? takeSlotsScript : giveSlotsScript });
    const commands = this.redis as unknown as Record<
      string,
      (...keysAndArguments: Array<string | number>) => Promise<unknown>
    >;
    return (...keysAndArguments) => commands[name]!.call(this.redis, ...keysAndArguments);
  }

  async take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean> {
    const keys = slots.map(({ key }) => `${this.keyPrefix}${key}`);
    const limits = slots.map(({ allowed }) => allowed);
    return Number(await this.script('take', keys.length)(...keys, ...limits, this.slotLifetimeMs)) === 1;
  }

  async give(keys: readonly string[]): Promise<void> {
    await this.script('give', keys.length)(...keys.map((key) => `${this.keyPrefix}${key}`));
  }
}
