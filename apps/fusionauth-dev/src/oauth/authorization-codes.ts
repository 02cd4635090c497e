import { randomBytes } from 'node:crypto';
import type { AuthorizationCodeRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

/**
 * Issues an authorization code: opaque, single use, alive for the tenant's
 * `authorizationGrantIdTimeToLiveInSeconds` (30 s by default).
 */
export function issueCode(
  store: StandInStore,
  seconds: number | undefined,
  binding: Omit<AuthorizationCodeRecord, 'code' | 'expiresAt'>,
): string {
  const code = randomBytes(32).toString('base64url');
  store.authorizationCodes.set(code, { ...binding, code, expiresAt: Date.now() + (seconds ?? 30) * 1000 });
  return code;
}

/** Takes a code out for good: the first exchange uses it up whatever its outcome; undefined when unknown or expired. */
export function takeCode(store: StandInStore, code: string): AuthorizationCodeRecord | undefined {
  const record = store.authorizationCodes.get(code);
  if (!record) return undefined;
  store.authorizationCodes.delete(code);
  return record.expiresAt > Date.now() ? record : undefined;
}

/** Drops expired codes, so that codes nobody exchanges do not pile up. */
export function sweepCodes(store: StandInStore): void {
  const now = Date.now();
  for (const [code, record] of store.authorizationCodes)
    if (record.expiresAt <= now) store.authorizationCodes.delete(code);
}
