import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import {
  createRedisClient,
  decodeSession,
  loadAppConfig,
  redisOperation,
  sessionRecordKey,
  type AppConfig,
  type SessionUser,
  type StoredSession,
} from '@native-login/session-login';
import { cartKey, cartLinesFrom, viewCart } from '@native-login/store';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/**
 * What the floors under the Store's guarded read share: the Store's own configuration (the same
 * environment the Store gets), its Redis client, its key layout, and the session check's steps
 * done by hand, with nothing around them. Each floor server adds one step to the one before it.
 */
export const config: AppConfig = loadAppConfig('STORE', process.env);

/** The Store's Redis client, made as the Store makes it (session-login's createRedisClient). */
export async function storeRedisClient(): Promise<Redis> {
  if (config.redis?.topology.kind !== 'single') throw new Error('the floors need REDIS_URL');
  const client = createRedisClient(config.redis, {
    warn: (detail: { err?: Error }) => process.stderr.write(`floor: Redis connection error: ${detail.err?.message}\n`),
  } as Pick<FastifyBaseLogger, 'warn'>);
  if (!(client instanceof Redis)) throw new Error('a single server has a Redis client');
  // Without the offline queue, a command sent before the connection is ready fails: wait, as
  // @fastify/redis makes the Store wait.
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** The Store's keys, as its session records and cart repository name them. */
export const sessionKey = (sessionId: string) => sessionRecordKey(config.keyPrefix, sessionId);
const storeCartKey = (userId: string) => cartKey(config.keyPrefix, userId);

/** The cart as the Store answers it: its repository's HGETALL, wrapped as it wraps it, and its view. */
export async function cartOf(redis: Redis, userId: string) {
  return viewCart(cartLinesFrom(await redisOperation(() => redis.hgetall(storeCartKey(userId)))));
}

/** The Store's session cookie name (session-login's cookieSettings): `store_session`, `__Host-` over https. */
const cookieName = `${new URL(config.origin).protocol === 'https:' ? '__Host-' : ''}${config.prefix.toLowerCase()}_session`;

/** The named cookie's value, decoded as @fastify/cookie's parser decodes it. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return value.includes('%') ? decodeURIComponent(value) : value;
  }
  return undefined;
}

/**
 * The session id of a signed cookie, verified as the Store's cookie signer verifies it
 * (@fastify/cookie's Signer, HMAC-SHA256 under the session secret, base64 without padding,
 * compared in constant time); undefined for a cookie that is missing or forged.
 */
export function verifiedSessionId(cookieHeader: string | undefined): string | undefined {
  const signed = cookieValue(cookieHeader, cookieName);
  if (signed === undefined) return undefined;
  const dot = signed.lastIndexOf('.');
  if (dot === -1 || dot === signed.length - 1) return undefined;
  const value = signed.slice(0, dot);
  const actual = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(
    createHmac('sha256', config.sessionSecret).update(value).digest('base64').replace(/=/g, ''),
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? value : undefined;
}

/** A live signed-in session, with the earlier of its two deadlines. */
export type LiveSession = StoredSession & { user: SessionUser; expiresAt: number };

/**
 * The session check of a guarded read, step by step as the Store does it, and nothing else: the
 * signed cookie verified, the id hashed (the library's own hashSessionId), the record read (one
 * GET) and decoded, and kept only if it is this app's and still before both deadlines.
 */
export async function signedInSession(
  redis: Redis,
  cookieHeader: string | undefined,
): Promise<LiveSession | undefined> {
  const sessionId = verifiedSessionId(cookieHeader);
  if (sessionId === undefined) return undefined;
  const text = await redisOperation(() => redis.get(sessionKey(sessionId)));
  const session = decodeSession(text);
  if (!session?.user || session.applicationId !== config.applicationId) return undefined;
  const expiresAt = Math.min(session.idleExpiresAt ?? 0, session.absoluteExpiresAt ?? 0);
  return expiresAt > Date.now() ? { ...session, user: session.user, expiresAt } : undefined;
}

/** The Store's answer to a request without a live session. */
export const unauthenticated = { code: 'unauthenticated', message: 'Please sign in.' };
