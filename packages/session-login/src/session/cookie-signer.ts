import { Signer } from '@fastify/cookie';
import { LRUCache } from 'lru-cache';

/** Verified cookies remembered at most; past it, the least recently used is forgotten first. */
const maximumRemembered = 1_000;

/**
 * @fastify/cookie's HMAC signer for the session cookie, with one saving: @fastify/session verifies
 * the cookie's signature, reads the session, and then signs the same id again to rebuild the
 * cookie value it has just verified, a second HMAC on every request. Here `sign` hands back the
 * value `unsign` verified instead (there is one secret, so nothing verified needs renewing). HMAC
 * is deterministic, so the result is the same; only the work is saved.
 *
 * A verified pair stays remembered after it is used, not only until the next `sign`: requests
 * that share a session (a browser's parallel fetches) verify the same cookie at once, and the
 * second would otherwise find its pair taken by the first. A thousand pairs at most are kept, the
 * least recently used forgotten first; each is only what a browser sent.
 */
export function sessionCookieSigner(secret: string) {
  const signer = new Signer(secret, 'sha256');
  const verified = new LRUCache<string, string>({ max: maximumRemembered });
  return {
    sign(value: string): string {
      return verified.get(value) ?? signer.sign(value);
    },
    unsign(signedValue: string) {
      const result = signer.unsign(signedValue);
      if (result.valid && result.value !== null) verified.set(result.value, signedValue);
      return result;
    },
    /** How many verified cookies are remembered (never more than a thousand). */
    get remembered(): number {
      return verified.size;
    },
  };
}
