import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * FusionAuth's ids a pre-login session waits with (a `changePasswordId`, a `twoFactorId`), sealed
 * for the store: AES-256-GCM under a key derived (HKDF-SHA256) from the session's own id, which
 * only the browser's cookie holds; the store keys the record by the id's hash. A dump of the
 * store, which yields no working session id, then yields no working FusionAuth id either: a
 * `changePasswordId` alone sets an account's password. Written here because it is four calls of
 * node:crypto, and what they protect is this layer's to know.
 */
const keyOf = (sessionId: string): Buffer =>
  Buffer.from(hkdfSync('sha256', sessionId, 'pending-sign-in', 'fusionauth-id', 32));

export function sealId(sessionId: string, id: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(sessionId), iv);
  const sealed = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The id back, or undefined when it was sealed for another session (or is not a sealed id at all). */
export function openId(sessionId: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(sessionId), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
