import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, retryHint } from '../errors/api-error.js';
import { redisOperation } from '../storage/redis-client.js';
import type { AttemptSlotPair, AttemptSlots } from './attempt-slots/attempt-slots.js';

export interface ThrottleSettings {
  /** Failed sign-in attempts one client IP may make per window. */
  perIp: number;
  /** Failed attempts (passwords and second-factor codes) one login id may take per window. */
  perAccount: number;
  windowMs: number;
  /** Sign-ins one client IP may start at FusionAuth per window. */
  startsPerIp: number;
  /** Account emails (sign-up, reset, verification) one address may be sent per window. */
  emailsPerAddress: number;
  /** Account emails one client IP may ask for per window. */
  emailsPerIp: number;
}

/**
 * A limiter, with its answer narrowed to the one that has a count: the other (`isAllowed: true`,
 * nothing counted) comes only from an allow list, which no login limit has.
 */
type Limiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<Extract<Awaited<ReturnType<ReturnType<FastifyInstance['createRateLimit']>>>, { isAllowed: false }>>;

/** Sign-in attempts one IP may have waiting for FusionAuth at once (an office behind one address). */
const concurrentAttemptsPerIp = 5;

/**
 * The client an IP limit applies to: the address itself, or for IPv6 its /64 network, which one
 * subscriber typically holds whole (one key per address would hand out 2^64 budgets).
 */
function clientKey(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

/** Login ids compare without case or surrounding space, so `Sam@x.com ` is the same account as `sam@x.com`. */
export function normalizeLoginId(loginId: string): string {
  return loginId.trim().toLowerCase();
}

/**
 * Brute-force limits on signing in, per client IP and per login id, counted in the rate limiter's
 * store (Redis, so every instance shares the counts). Only failures count: a correct password does
 * not, and neither does an attempt FusionAuth could not answer. A limiter whose store fails refuses
 * the attempt (503), never lets it through.
 */
export class LoginThrottle {
  private readonly accountOf = new WeakMap<FastifyRequest, string>();
  private readonly limiters: Limiter[];
  private readonly startLimiter: Limiter;
  private readonly emailLimiters: Limiter[];

  constructor(
    app: FastifyInstance,
    settings: ThrottleSettings,
    private readonly slots: AttemptSlots,
  ) {
    const limiter = (key: (request: FastifyRequest) => string, max: number) =>
      app.createRateLimit({ timeWindow: settings.windowMs, max, keyGenerator: key, skipOnError: false }) as Limiter;
    this.limiters = [
      limiter((request) => `ip:${clientKey(request)}`, settings.perIp),
      limiter((request) => `account:${this.loginIdOf(request)}`, settings.perAccount),
    ];
    this.startLimiter = limiter((request) => `start:${clientKey(request)}`, settings.startsPerIp);
    this.emailLimiters = [
      limiter((request) => `email-from:${clientKey(request)}`, settings.emailsPerIp),
      limiter((request) => `email-to:${this.loginIdOf(request)}`, settings.emailsPerAddress),
    ];
  }

  /** The normalized login id `each()` is limiting for this request. */
  private loginIdOf(request: FastifyRequest): string {
    // Stryker disable next-line StringLiteral: each() names the login id before any limiter runs.
    return this.accountOf.get(request) ?? '';
  }

  /**
   * Counts a sign-in started at FusionAuth against the client IP, and refuses it (429) beyond the
   * limit: each start stores a record for an anonymous visitor, so starting is what is limited
   * here, not failing (FusionAuth's page counts wrong passwords itself). A start is a navigation:
   * the refusal goes back to the SPA as `login_error=too_many_attempts`, logged there, with no
   * `Retry-After` for a browser to honour.
   */
  async countStart(request: FastifyRequest): Promise<void> {
    const state = await redisOperation(() => this.startLimiter(request));
    if (!state.isExceeded) return;
    // Stryker disable next-line StringLiteral: the SPA is told the code alone (login_error), never these words.
    throw new ApiError(429, 'too_many_attempts', 'Too many sign-ins started.');
  }

  /**
   * Counts a request that sends an email (a sign-up, a password reset, a new verification email)
   * against the client IP and the address, and refuses it (429) beyond either limit. Every request
   * counts, answered or not: each one may put an email in someone's inbox, and the answer is the
   * same whether or not the address has an account, so there is no failure to count instead.
   */
  async countEmail(request: FastifyRequest, address: string): Promise<void> {
    this.accountOf.set(request, normalizeLoginId(address));
    const states = await redisOperation(() => Promise.all(this.emailLimiters.map((limiter) => limiter(request))));
    const exceeded = states.filter((state) => state.isExceeded);
    if (exceeded.length === 0) return;
    const retryAfterSeconds = Math.max(...exceeded.map((state) => state.ttlInSeconds), 1);
    request.log.warn({ event: 'emails_throttled', ip: request.ip }, 'too many account emails asked for');
    throw new ApiError(
      429,
      'too_many_attempts',
      `Too many emails asked for. ${retryHint(retryAfterSeconds)}`,
      retryAfterSeconds,
    );
  }

  /**
   * Every limiter's answer for this request, through the one path that turns a store failure into
   * 503; without a login id, the client IP's alone.
   */
  private each<T>(
    request: FastifyRequest,
    loginId: string | undefined,
    call: (limiter: Limiter) => Promise<T>,
  ): Promise<T[]> {
    if (loginId === undefined) return redisOperation(() => Promise.all(this.limiters.slice(0, 1).map(call)));
    this.accountOf.set(request, normalizeLoginId(loginId));
    return redisOperation(() => Promise.all(this.limiters.map(call)));
  }

  /** 429 `too_many_attempts`, with `Retry-After`, once either limit is used up. */
  private assertAllowed(request: FastifyRequest, states: Array<Awaited<ReturnType<Limiter>>>): void {
    const exhausted = states.filter((state) => state.remaining === 0);
    if (exhausted.length === 0) return;
    const retryAfterSeconds = Math.max(...exhausted.map((state) => state.ttlInSeconds), 1);
    request.log.warn({ event: 'login_throttled', ip: request.ip }, 'too many failed sign-in attempts');
    throw new ApiError(
      429,
      'too_many_attempts',
      `Too many attempts. ${retryHint(retryAfterSeconds)}`,
      retryAfterSeconds,
    );
  }

  /** Counts one failed attempt against the client IP and the login id. */
  private async recordFailure(request: FastifyRequest, loginId: string | undefined): Promise<void> {
    await this.each(request, loginId, (limiter) => limiter(request));
  }

  /**
   * Runs one sign-in attempt under the limits: refused (429) once they are used up, or while another
   * attempt for the same login id (or too many from the same IP) is still waiting for FusionAuth,
   * and counted when `failed` says it failed. An attempt that names no login id (a password reset
   * holds only the id from an email) is limited by the client IP alone. A failure of the limits'
   * store is 503; a failure of `run` itself is its own.
   */
  async attempt<T>(
    request: FastifyRequest,
    loginId: string | undefined,
    run: () => Promise<T>,
    failed: (result: T) => boolean,
  ): Promise<T> {
    const slots: AttemptSlotPair = [
      loginId === undefined
        ? // Attempts of no account, from one IP, are held to the IP's number in flight.
          { key: `no-account:${clientKey(request)}`, allowed: concurrentAttemptsPerIp }
        : { key: `account:${normalizeLoginId(loginId)}`, allowed: 1 },
      { key: `ip:${clientKey(request)}`, allowed: concurrentAttemptsPerIp },
    ];
    // The limits are read and the slots taken at once: one Redis round trip before FusionAuth, not two.
    const [limits, taking] = await Promise.allSettled([
      this.each(request, loginId, (limiter) => limiter(request, { increment: false })),
      redisOperation(() => this.slots.take(slots)),
    ]);
    // Stryker disable next-line ConditionalExpression: a rejected take has no value; the status narrows the type
    const held = taking.status === 'fulfilled' && taking.value;
    try {
      if (limits.status === 'rejected') throw limits.reason;
      if (taking.status === 'rejected') throw taking.reason;
      this.assertAllowed(request, limits.value);
      if (!held) {
        throw new ApiError(429, 'too_many_attempts', 'Another sign-in is under way. Please try again in a moment.', 1);
      }
      const result = await run();
      if (failed(result)) await this.recordFailure(request, loginId);
      return result;
    } finally {
      // Given back before the answer leaves: a retry that reaches another instance the moment the
      // answer arrives must find the slot free. (Not awaited, the give could still be queued in
      // this process when that retry takes its slot.) A slot that fails to come back lapses on its own.
      if (held) await this.slots.give([slots[0].key, slots[1].key]).catch(() => undefined);
    }
  }
}
