import { randomBytes } from 'node:crypto';
import {
  ChangePasswordReason,
  MultiFactorLoginPolicy,
  UnverifiedBehavior,
  type LoginResponse,
} from '@fusionauth/typescript-client';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import type { ApplicationRecord, PendingTwoFactorLogin, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { loginPreventingActions } from '../users/actions.js';
import { publicUser } from '../users/accounts.js';
import { loginChangePasswordIdImplicitTrust, oneTimePasswordAuthenticationType } from '../users/assumptions.js';
import { issueChangePasswordId, spendOneTimePassword } from '../users/password-change.js';
import { recordFailedAttempt } from './failed-attempts.js';
import { createRefreshToken, issueAccessToken } from './tokens.js';

/**
 * What the Login API answers: a status and, for some statuses, a body. The status codes and bodies
 * are FusionAuth's: https://fusionauth.io/docs/apis/login#authenticate-a-user
 */
export interface LoginOutcome {
  status: number;
  body?: LoginResponse;
}

export interface LoginContext {
  tenant: TenantRecord;
  /** The application named by `applicationId`, if any. */
  application: ApplicationRecord | undefined;
  ipAddress: string | undefined;
  noJWT: boolean;
  metaData: Record<string, unknown> | undefined;
}

export interface PasswordLogin extends LoginContext {
  loginId: string;
  password: string;
}

/**
 * Account states that refuse any login, checked before the password as FusionAuth does (a locked
 * user gets 423 even with a wrong password) and again when a second factor completes a login.
 */
function refusal(store: StandInStore, record: UserRecord): LoginOutcome | undefined {
  if (!record.user.active) return { status: 423 };
  const actions = loginPreventingActions(store, record.user.id);
  if (actions.length > 0) return { status: 409, body: { actions } };
  return undefined;
}

function expired(record: UserRecord): boolean {
  return record.user.expiry !== undefined && record.user.expiry <= Date.now();
}

function needsSecondFactor(tenant: TenantRecord, record: UserRecord): boolean {
  return (
    (record.user.twoFactor?.methods?.length ?? 0) > 0 &&
    tenant.multiFactorConfiguration?.loginPolicy !== MultiFactorLoginPolicy.Disabled
  );
}

/**
 * The first step of every password login, the Login API's and the hosted login page's alike: who the
 * login id names, whether the account may sign in at all, whether the password is right (a wrong one
 * counts toward the tenant's lockout), and whether a second factor is due. The Login API statuses of
 * a refusal: 404 unknown user or wrong password, 409 a login-preventing action, 410 expired, 423
 * deactivated.
 */
export type PasswordCheck =
  | { kind: 'refused'; status: 404 | 409 | 410 | 423; actions?: LoginResponse['actions'] }
  | { kind: 'second_factor_due'; record: UserRecord }
  | { kind: 'authenticated'; record: UserRecord };

export async function checkPassword(
  store: StandInStore,
  tenant: TenantRecord,
  loginId: string,
  password: string,
  { countFailure = true }: { countFailure?: boolean } = {},
): Promise<PasswordCheck> {
  const record = store.findUserByLoginId(tenant.id, loginId);
  if (!record) {
    // Hash anyway so that an unknown login id costs as long as a wrong password.
    await hashPassword(password, store.passwordFactor(tenant));
    return { kind: 'refused', status: 404 };
  }
  const refused = refusal(store, record);
  if (refused) return { kind: 'refused', status: refused.status as 409 | 423, actions: refused.body?.actions };
  if (!(await verifyPassword(password, record.password))) {
    if (countFailure) recordFailedAttempt(store, tenant, record);
    return { kind: 'refused', status: 404 };
  }
  if (expired(record)) return { kind: 'refused', status: 410 };
  // A login waiting for its second factor is not complete: wrong codes keep counting toward the
  // lockout, so re-entering the password cannot reset the count between guesses.
  if (needsSecondFactor(tenant, record)) return { kind: 'second_factor_due', record };
  record.failedLoginInstants = [];
  return { kind: 'authenticated', record };
}

/** Whether an authenticated account may still sign in: for a second factor completed later, or an SSO session. */
export function stillAllowed(store: StandInStore, record: UserRecord): 409 | 410 | 423 | undefined {
  const refused = refusal(store, record);
  if (refused) return refused.status as 409 | 423;
  return expired(record) ? 410 : undefined;
}

/** A `twoFactorId` for a login that passed its password, valid for the tenant's window. */
export function startSecondFactor(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  details: Omit<PendingTwoFactorLogin, 'twoFactorId' | 'userId' | 'expiresAt'>,
): string {
  const twoFactorId = randomBytes(32).toString('base64url');
  const seconds = tenant.externalIdentifierConfiguration?.twoFactorIdTimeToLiveInSeconds ?? 300;
  store.pendingTwoFactorLogins.set(twoFactorId, {
    ...details,
    twoFactorId,
    userId: record.user.id,
    expiresAt: Date.now() + seconds * 1000,
  });
  return twoFactorId;
}

export async function loginWithPassword(store: StandInStore, login: PasswordLogin): Promise<LoginOutcome> {
  const check = await checkPassword(store, login.tenant, login.loginId, login.password);
  if (check.kind === 'refused') {
    return check.actions ? { status: check.status, body: { actions: check.actions } } : { status: check.status };
  }
  const { record } = check;
  if (check.kind === 'second_factor_due') {
    const twoFactorId = startSecondFactor(store, login.tenant, record, {
      applicationId: login.application?.id,
      ipAddress: login.ipAddress,
      noJWT: login.noJWT,
    });
    return { status: 242, body: { twoFactorId, methods: record.user.twoFactor?.methods ?? [] } };
  }
  return completeLogin(store, record, login);
}

/**
 * A login with the `oneTimePassword` the Change Password API handed out, in place of the login id
 * and password: https://fusionauth.io/docs/apis/login/authenticate-otp. It is spent by the attempt;
 * an unknown, spent or expired one is 404, like a wrong password. The rest is a password login's.
 */
export async function loginWithOneTimePassword(
  store: StandInStore,
  login: LoginContext & { oneTimePassword: string },
): Promise<LoginOutcome> {
  const issued = spendOneTimePassword(store, login.oneTimePassword);
  const record = issued && issued.tenantId === login.tenant.id ? store.users.get(issued.userId) : undefined;
  if (!record) return { status: 404 };
  const refused = refusal(store, record);
  if (refused) return refused;
  if (expired(record)) return { status: 410 };
  if (needsSecondFactor(login.tenant, record)) {
    const twoFactorId = startSecondFactor(store, login.tenant, record, {
      applicationId: login.application?.id,
      ipAddress: login.ipAddress,
      noJWT: login.noJWT,
    });
    return { status: 242, body: { twoFactorId, methods: record.user.twoFactor?.methods ?? [] } };
  }
  return completeLogin(store, record, login, oneTimePasswordAuthenticationType);
}

/** After the second factor: the account may have been locked or actioned in the meantime. */
export async function loginWithSecondFactor(
  store: StandInStore,
  record: UserRecord,
  context: LoginContext,
): Promise<LoginOutcome> {
  const refused = refusal(store, record);
  if (refused) return refused;
  if (expired(record)) return { status: 410 };
  record.failedLoginInstants = [];
  return completeLogin(store, record, context);
}

/**
 * The statuses FusionAuth reports after the user has proved who they are: password change (203),
 * email verification (212), registration (202) and its verification (213), then 200. FusionAuth
 * documents the statuses, not the order it checks them in; this order puts what concerns the
 * account before what concerns the application. 212 and 213 carry a token unless verification is
 * gated (a paid FusionAuth feature), 202 one without application claims; only 200 carries a
 * refresh token.
 */
async function completeLogin(
  store: StandInStore,
  record: UserRecord,
  context: LoginContext,
  authenticationType: string = 'PASSWORD',
): Promise<LoginOutcome> {
  const { tenant, application } = context;
  if (record.user.passwordChangeRequired) {
    // The Change Password API spends this id; the change clears the requirement.
    const { changePasswordId } = issueChangePasswordId(store, tenant, record, {
      applicationId: application?.id,
      sentByEmail: false,
      implicitTrust: loginChangePasswordIdImplicitTrust,
    });
    return { status: 203, body: { changePasswordId, changePasswordReason: ChangePasswordReason.Administrative } };
  }

  const registration = application
    ? record.user.registrations?.find((candidate) => candidate.applicationId === application.id)
    : undefined;
  const authTime = Math.floor(Date.now() / 1000);
  const tokenFor = async (registered: boolean, refreshTokenId?: string) =>
    context.noJWT
      ? {}
      : issueAccessToken(store, {
          record,
          tenant,
          application,
          registration: registered ? registration : undefined,
          authenticationType,
          authTime,
          refreshTokenId,
        });

  if (tenant.emailConfiguration?.verifyEmail && !record.user.verified) {
    const gated = tenant.emailConfiguration.unverified?.behavior === UnverifiedBehavior.Gated;
    return { status: 212, body: { user: publicUser(record), ...(!gated && (await tokenFor(false))) } };
  }
  if (application && !registration) {
    return { status: 202, body: { user: publicUser(record), ...(await tokenFor(false)) } };
  }
  if (application?.verifyRegistration && registration && !registration.verified) {
    const gated = application.unverified?.behavior === UnverifiedBehavior.Gated;
    return { status: 213, body: { user: publicUser(record), ...(!gated && (await tokenFor(false))) } };
  }

  const now = Date.now();
  record.user.lastLoginInstant = now;
  if (registration) registration.lastLoginInstant = now;
  const refreshToken =
    application && registration && application.loginConfiguration?.generateRefreshTokens && !context.noJWT
      ? createRefreshToken(store, record, tenant, application, context.metaData)
      : undefined;
  return {
    status: 200,
    body: {
      ...(await tokenFor(true, refreshToken?.id)),
      ...(refreshToken && { refreshToken: refreshToken.token, refreshTokenId: refreshToken.id }),
      user: publicUser(record),
    },
  };
}
