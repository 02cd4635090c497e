import { hash } from 'node:crypto';

/**
 * The Redis Cluster hash tag of everything kept for one user: their sessions, the list of them,
 * and what the apps keep for them (the Store's cart). A Cluster places a key by the part of its
 * name between the first `{` and `}`, so keys that carry the same tag share a slot, and one script
 * or transaction may touch them together.
 *
 * The tag is a digest of the user id rather than the id itself, because it is also part of every
 * session id of the user (see session-ids), and a cookie should not carry who its user is. 96 bits
 * keep users apart; two users who share a tag only share a slot.
 */
export function userSlotTag(userId: string): string {
  return hash('sha256', userId, 'base64url').slice(0, 16);
}

/** A well-formed tag: what `userSlotTag` answers. */
export const slotTagPattern = /^[A-Za-z0-9_-]{16}$/;
