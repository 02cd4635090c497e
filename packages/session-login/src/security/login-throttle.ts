// Brings in @fastify/rate-limit's types for createRateLimit.
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, SessionStoreUnavailableError } from '../errors/api-error.js';

export interface ThrottleSettings {
  /** Failed sign-in attempts one client IP may make per window. */
  perIp: number;
  /** Failed attempts (passwords and second-factor codes) one login id may take per window. */
  perAccount: number;
  windowMs: number;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

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

  constructor(app: FastifyInstance, settings: ThrottleSettings) {
    const common = { timeWindow: settings.windowMs, skipOnError: false };
    this.limiters = [
      app.createRateLimit({ ...common, max: settings.perIp, keyGenerator: (request) => `ip:${request.ip}` }),
      app.createRateLimit({
        ...common,
        max: settings.perAccount,
        keyGenerator: (request) => `account:${this.accountOf.get(request) ?? ''}`,
      }),
    ];
  }

  private async each<T>(
    request: FastifyRequest,
    loginId: string,
    call: (limiter: Limiter) => Promise<T>,
  ): Promise<T[]> {
    this.accountOf.set(request, normalizeLoginId(loginId));
    try {
      return await Promise.all(this.limiters.map(call));
    } catch (error) {
      throw new SessionStoreUnavailableError({ cause: error });
    }
  }

  /** 429 `too_many_attempts`, with `Retry-After`, once either limit is used up. */
  async assertAllowed(request: FastifyRequest, loginId: string): Promise<void> {
    const states = await this.each(request, loginId, (limiter) => limiter(request, { increment: false }));
    const exhausted = states.filter((state) => !state.isAllowed && state.remaining === 0);
    if (exhausted.length === 0) return;
    const retryAfterSeconds = Math.max(...exhausted.map((state) => (state.isAllowed ? 0 : state.ttlInSeconds)), 1);
    request.log.warn({ event: 'login_throttled', ip: request.ip }, 'too many failed sign-in attempts');
    throw new ApiError(
      429,
      'too_many_attempts',
      'Too many failed attempts. Please wait before trying again.',
      retryAfterSeconds,
    );
  }

  /** Counts one failed attempt against the client IP and the login id. */
  async recordFailure(request: FastifyRequest, loginId: string): Promise<void> {
    await this.each(request, loginId, (limiter) => limiter(request));
  }
}
