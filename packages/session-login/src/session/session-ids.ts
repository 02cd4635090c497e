import { randomBytes } from 'node:crypto';
import { slotTagPattern, userSlotTag } from '../storage/hash-tags.js';

/** Random bytes in every session id: 192 bits, as @fastify/session's own ids. */
const randomLength = 24;

/**
 * A session id nobody has seen. A signed-in user's carries the Redis Cluster tag of their keys
 * (`<tag>.<random>`), so that the session's record can be found from the cookie alone and still
 * live in the same slot as the user's list of sessions; a visitor's or a pre-login session's is
 * only random.
 */
export function newSessionId(userId?: string): string {
  const random = randomBytes(randomLength).toString('base64url');
  return userId === undefined ? random : `${userSlotTag(userId)}.${random}`;
}

/** The slot tag a session id carries, if it is a signed-in user's. */
export function slotTagOf(sessionId: string): string | undefined {
  const dot = sessionId.indexOf('.');
  if (dot < 0) return undefined;
  const tag = sessionId.slice(0, dot);
  return slotTagPattern.test(tag) ? tag : undefined;
}
