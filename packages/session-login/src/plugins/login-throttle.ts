import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MemoryAttemptSlots } from '../security/attempt-slots/memory-attempt-slots.js';
import { attemptSlotsNamespace, RedisAttemptSlots } from '../security/attempt-slots/redis-attempt-slots.js';
import { LoginThrottle } from '../security/login-throttle.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Brute-force limits on signing in, shared by every login flow of the app. */
    loginThrottle: LoginThrottle;
  }
}

/**
 * The sign-in limits, counted where the app keeps its data (Redis, so every instance shares them).
 * `@fastify/rate-limit` is registered with `global: false`: only sign-in is limited, through
 * LoginThrottle, which counts failures alone.
 */
async function loginThrottle(app: FastifyInstance): Promise<void> {
  const { config, storage } = app;
  const { redis, keyPrefix } = storage;
  await app.register(rateLimit, {
    global: false,
    skipOnError: false,
    nameSpace: `${keyPrefix}login-limit:`,
    ...(redis && { redis }),
  });
  const slots = redis
    ? new RedisAttemptSlots(redis, attemptSlotsNamespace(keyPrefix), config.fusionAuth.timeoutMs)
    : new MemoryAttemptSlots();
  app.decorate('loginThrottle', new LoginThrottle(app, config.throttle, slots));
}

export default fp(loginThrottle, { name: 'login-throttle', fastify: '5.x', dependencies: ['app-config', 'storage'] });
