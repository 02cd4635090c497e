import { ExpiryUnit } from '@fusionauth/typescript-client';
import type { TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { takeAction } from '../users/actions.js';

const unitMilliseconds: Record<ExpiryUnit, number> = {
  [ExpiryUnit.MINUTES]: 60_000,
  [ExpiryUnit.HOURS]: 3_600_000,
  [ExpiryUnit.DAYS]: 86_400_000,
  [ExpiryUnit.WEEKS]: 7 * 86_400_000,
  [ExpiryUnit.MONTHS]: 30 * 86_400_000,
  [ExpiryUnit.YEARS]: 365 * 86_400_000,
};

/**
 * Counts a wrong password. When the tenant's `tooManyAttempts` fall within `resetCountInSeconds`,
 * FusionAuth takes the tenant's failed-authentication user action (time-based, preventing login)
 * on the user, so later logins answer 409 until it expires. Without a `userActionId` nothing is
 * taken, as in FusionAuth:
 * https://fusionauth.io/docs/lifecycle/authenticate-users/setting-up-user-account-lockout
 */
export function recordFailedAttempt(store: StandInStore, tenant: TenantRecord, record: UserRecord): void {
  const settings = tenant.failedAuthenticationConfiguration ?? {};
  const now = Date.now();
  const windowStart = now - (settings.resetCountInSeconds ?? 60) * 1000;
  record.failedLoginInstants = [...record.failedLoginInstants.filter((instant) => instant > windowStart), now];

  const userAction = settings.userActionId ? store.userActions.get(settings.userActionId) : undefined;
  if (!userAction || record.failedLoginInstants.length < (settings.tooManyAttempts ?? 5)) return;
  const duration = (settings.actionDuration ?? 3) * unitMilliseconds[settings.actionDurationUnit ?? ExpiryUnit.MINUTES];
  takeAction(store, {
    actionee: record,
    userAction,
    expiry: now + duration,
    comment: 'Too many failed login attempts',
  });
  record.failedLoginInstants = [];
}
