import { randomBytes } from 'node:crypto';
import { hashPassword } from '../crypto/passwords.js';
import type { FieldErrors } from '../http/api-error.js';
import type { ChangePasswordIdRecord, OneTimePasswordRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { publicUser } from './accounts.js';
import { markEmailVerified } from './email-verification.js';
import { checkPasswordRules, passwordRules, previouslyUsed, withNewPassword } from './password-rules.js';

export interface ChangePasswordIdOptions {
  applicationId: string | undefined;
  /** A setup-password id (a user created with `sendSetPasswordEmail`) lives longer. */
  setup?: boolean;
  sentByEmail: boolean;
  implicitTrust: boolean;
  state?: Record<string, unknown> | undefined;
  /** One the caller chose (the Forgot Password API with an API key); random otherwise. */
  changePasswordId?: string | undefined;
}

/**
 * A `changePasswordId` for the user, valid for the tenant's `changePasswordIdTimeToLiveInSeconds`
 * (600 s by default), or `setupPasswordIdTimeToLiveInSeconds` (a day) for a set-password email.
 */
export function issueChangePasswordId(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  options: ChangePasswordIdOptions,
): ChangePasswordIdRecord {
  const lifetimes = tenant.externalIdentifierConfiguration;
  const seconds = options.setup
    ? (lifetimes?.setupPasswordIdTimeToLiveInSeconds ?? 86_400)
    : (lifetimes?.changePasswordIdTimeToLiveInSeconds ?? 600);
  const issued: ChangePasswordIdRecord = {
    changePasswordId: options.changePasswordId ?? randomBytes(32).toString('base64url'),
    userId: record.user.id,
    tenantId: tenant.id,
    applicationId: options.applicationId,
    expiresAt: Date.now() + seconds * 1000,
    sentByEmail: options.sentByEmail,
    implicitTrust: options.implicitTrust,
    ...(options.state !== undefined && { state: options.state }),
  };
  store.changePasswordIds.set(issued.changePasswordId, issued);
  return issued;
}

/** A `changePasswordId` that can still be used, or undefined when it is unknown, spent or expired. */
export function liveChangePasswordId(
  store: StandInStore,
  changePasswordId: string,
): ChangePasswordIdRecord | undefined {
  const pending = store.changePasswordIds.get(changePasswordId);
  if (!pending) return undefined;
  if (pending.expiresAt > Date.now() && store.users.has(pending.userId)) return pending;
  store.changePasswordIds.delete(changePasswordId);
  return undefined;
}

/**
 * Whether the Change Password API needs a trust token for this change: FusionAuth asks one of a
 * user with a second factor (`[TrustTokenRequired]`), unless the id was issued right after the
 * user signed in.
 */
export function trustTokenRequired(record: UserRecord, pending: ChangePasswordIdRecord): boolean {
  return (record.user.twoFactor?.methods?.length ?? 0) > 0 && !pending.implicitTrust;
}

/** The tenant's rules for a new password, then its history (`[previouslyUsed]`), into `errors` under `field`. */
export async function checkNewPassword(
  tenant: TenantRecord | undefined,
  record: UserRecord,
  password: string,
  field: string,
  errors: FieldErrors,
): Promise<void> {
  const rules = passwordRules(tenant);
  checkPasswordRules(rules, password, field, errors);
  if (!errors.has(field) && (await previouslyUsed(rules, password, record.passwordHistory))) {
    errors.add(
      field,
      '[previouslyUsed]',
      `The [${field}] property is one of the last ${rules.remembered} passwords used.`,
    );
  }
}

/**
 * Sets a new password as FusionAuth's password change does: the requirement to change it goes,
 * the user's refresh tokens and outstanding `changePasswordId`s are revoked, and
 * `user.password.update` is announced. A `changePasswordId` that reached the user by email also
 * proves the address (implicit email verification, unless the tenant turns it off).
 * https://fusionauth.io/docs/apis/users/change-password
 */
export async function setNewPassword(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  password: string,
  spent: ChangePasswordIdRecord | undefined,
): Promise<void> {
  // Spent before the hash is computed: a second request with the same id, checking for it after
  // this point, finds it gone, so one id never changes the password twice.
  if (spent) store.changePasswordIds.delete(spent.changePasswordId);
  const hash = await hashPassword(password, store.passwordFactor(tenant));
  record.password = hash;
  record.passwordHistory = withNewPassword(record.passwordHistory, hash);
  record.user.passwordChangeRequired = false;
  record.user.passwordLastUpdateInstant = Date.now();
  store.forgetChangePasswordIds(record.user.id);
  store.revokeRefreshTokens({ userId: record.user.id });
  if (spent?.sentByEmail && tenant.emailConfiguration?.implicitEmailVerificationAllowed !== false) {
    markEmailVerified(store, record);
  }
  store.emit('user.password.update', { tenantId: record.user.tenantId, user: publicUser(record) });
}

/** A one-time password for the Login API, good once within the tenant's `oneTimePasswordTimeToLiveInSeconds`. */
export function issueOneTimePassword(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
): OneTimePasswordRecord {
  const seconds = tenant.externalIdentifierConfiguration?.oneTimePasswordTimeToLiveInSeconds ?? 60;
  const issued: OneTimePasswordRecord = {
    oneTimePassword: randomBytes(32).toString('base64url'),
    userId: record.user.id,
    tenantId: tenant.id,
    expiresAt: Date.now() + seconds * 1000,
  };
  store.oneTimePasswords.set(issued.oneTimePassword, issued);
  return issued;
}

/** Spends a one-time password: the user it stands for, once, before it expires. */
export function spendOneTimePassword(store: StandInStore, oneTimePassword: string): OneTimePasswordRecord | undefined {
  const issued = store.oneTimePasswords.get(oneTimePassword);
  if (!issued) return undefined;
  store.oneTimePasswords.delete(oneTimePassword);
  return issued.expiresAt > Date.now() ? issued : undefined;
}
