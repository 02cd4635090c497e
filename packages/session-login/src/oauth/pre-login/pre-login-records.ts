import { hash } from 'node:crypto';
import { z } from 'zod';

/**
 * What a sign-in at FusionAuth leaves behind until its callback: the secrets the callback is
 * checked against (never sent to the browser but as the authorize request's state, nonce and
 * code challenge), where to return to, and when it began. Instants are Unix milliseconds.
 */
export const preLogin = z.object({
  state: z.string(),
  nonce: z.string(),
  /** PKCE: only its S256 hash went to FusionAuth; the token request proves this browser's sign-in with it. */
  codeVerifier: z.string(),
  /** A path of this app, already checked (see return-to.ts). */
  returnTo: z.string(),
  createdAt: z.number(),
});
export type PreLogin = z.infer<typeof preLogin>;

/**
 * Where pre-login records live, keyed by the random id in the browser's pre-login cookie. Like
 * session records, they are stored under a SHA-256 of that id: a dump of the store holds no
 * cookie value. A record is used once: `claim` reads and deletes it in one step, so a replayed
 * callback, or two racing ones, find nothing.
 */
export interface PreLoginRecords {
  /** Keeps the record for `ttlMs`; a record under the same id is replaced. */
  save(id: string, record: PreLogin, ttlMs: number): Promise<void>;
  /** The record, taken away as it is read; undefined when there is none (used, expired, unknown). */
  claim(id: string): Promise<PreLogin | undefined>;
}

export function preLoginHandle(id: string): string {
  return hash('sha256', id, 'base64url');
}

export function encodePreLogin(record: PreLogin): string {
  return JSON.stringify(record);
}

/** The record back from its text; text of another shape (an older release's) reads as none. */
export function decodePreLogin(text: string | null | undefined): PreLogin | undefined {
  if (!text) return undefined;
  try {
    const parsed = preLogin.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
