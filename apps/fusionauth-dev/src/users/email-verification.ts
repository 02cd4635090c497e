import { randomBytes } from 'node:crypto';
import { sendTemplatedEmail } from '../email/send-email.js';
import type { ApplicationRecord, EmailVerificationRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { newVerificationIdReplacesEarlier } from './assumptions.js';

/** `emailVerificationIdTimeToLiveInSeconds` when the tenant leaves it out. */
const defaultLifetimeSeconds = 86_400;

/** Whether the tenant verifies email addresses, and this user's still needs verifying. */
export function needsEmailVerification(tenant: TenantRecord, record: UserRecord): boolean {
  return tenant.emailConfiguration?.verifyEmail === true && !record.user.verified && record.user.email !== undefined;
}

/**
 * Starts verifying the user's email address: a `verificationId`, valid for the tenant's
 * `emailVerificationIdTimeToLiveInSeconds`, and, when `send`, the tenant's verification email
 * with it (its template reaches it as `${verificationId}`). Nothing for a user without an email.
 */
export function startEmailVerification(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  application: ApplicationRecord | undefined,
  { send }: { send: boolean },
): EmailVerificationRecord | undefined {
  const email = record.user.email;
  if (email === undefined) return undefined;
  if (newVerificationIdReplacesEarlier) forgetEmailVerifications(store, record.user.id);
  const seconds =
    tenant.externalIdentifierConfiguration?.emailVerificationIdTimeToLiveInSeconds ?? defaultLifetimeSeconds;
  const verification: EmailVerificationRecord = {
    verificationId: randomBytes(32).toString('base64url'),
    userId: record.user.id,
    tenantId: tenant.id,
    email,
    expiresAt: Date.now() + seconds * 1000,
  };
  store.emailVerificationIds.set(verification.verificationId, verification);
  if (send) {
    sendTemplatedEmail(store, {
      tenant,
      template: 'verification',
      record,
      application,
      variables: { verificationId: verification.verificationId },
    });
  }
  return verification;
}

/** A verification id that can still be used: known, not expired, for the address the user still has. */
export function liveEmailVerification(
  store: StandInStore,
  verificationId: string,
): EmailVerificationRecord | undefined {
  const verification = store.emailVerificationIds.get(verificationId);
  if (!verification) return undefined;
  const record = store.users.get(verification.userId);
  if (verification.expiresAt > Date.now() && record?.user.email === verification.email) return verification;
  store.emailVerificationIds.delete(verificationId);
  return undefined;
}

function forgetEmailVerifications(store: StandInStore, userId: string): void {
  for (const verification of [...store.emailVerificationIds.values()]) {
    if (verification.userId === userId) store.emailVerificationIds.delete(verification.verificationId);
  }
}

/** Marks the user's email address verified; its outstanding verification ids are spent. */
export function markEmailVerified(store: StandInStore, record: UserRecord): void {
  if (!record.user.verified) {
    record.user.verified = true;
    record.user.verifiedInstant = Date.now();
  }
  forgetEmailVerifications(store, record.user.id);
}
