import type { LoginResponse } from '@fusionauth/typescript-client';
import type { SessionUser } from '../schemas/session.js';

/**
 * Every way a FusionAuth login (or its second step) can end, decided by status code alone. The
 * typescript client resolves 202, 203, 212, 213 and 242 like a 200 (`wasSuccessful()` is true for
 * all of them), so nothing here looks at anything but the status:
 * https://fusionauth.io/docs/apis/login#authenticate-a-user
 */
export type LoginOutcome =
  | { kind: 'authenticated'; user: SessionUser; refreshTokenId: string | undefined }
  | { kind: 'two_factor_required'; twoFactorId: string; methods: Array<{ id: string; method: string }> }
  /** The password was right and FusionAuth requires a new one first (203): `changePasswordId` lets it be set. */
  | { kind: 'password_change_required'; changePasswordId: string; userId: string | undefined }
  /** Authenticated, but FusionAuth withholds the login for a reason the user may be told. */
  | { kind: 'refused'; code: RefusalCode; userId: string | undefined }
  /** Every failure that must look the same to the browser; `reason` is for the log only. */
  | { kind: 'invalid_credentials'; reason: CredentialFailure; userId: string | undefined }
  | { kind: 'invalid_code' }
  | { kind: 'two_factor_expired' }
  | { kind: 'invalid_request' }
  | { kind: 'unavailable'; reason: UnavailableReason; statusCode: number | undefined };

export type RefusalCode =
  'not_registered' | 'password_change_required' | 'email_not_verified' | 'registration_not_verified';

export type CredentialFailure = 'unknown_user_or_wrong_password' | 'login_prevented' | 'user_expired' | 'user_locked';

export type UnavailableReason = 'api_key_rejected' | 'timeout' | 'network_error' | 'server_error' | 'unexpected_status';

/** The user snapshot a session keeps: who, and their roles in this application only. */
export function sessionUserFrom(response: LoginResponse, applicationId: string): SessionUser | undefined {
  const user = response.user;
  if (!user?.id) return undefined;
  const registration = user.registrations?.find((candidate) => candidate.applicationId === applicationId);
  return {
    id: user.id,
    email: user.email ?? user.username ?? '',
    firstName: user.firstName,
    lastName: user.lastName,
    roles: registration?.roles ?? [],
  };
}

const refusals: Partial<Record<number, RefusalCode>> = {
  202: 'not_registered',
  203: 'password_change_required',
  212: 'email_not_verified',
  213: 'registration_not_verified',
};

const credentialFailures: Partial<Record<number, CredentialFailure>> = {
  404: 'unknown_user_or_wrong_password',
  409: 'login_prevented',
  410: 'user_expired',
  423: 'user_locked',
};

/**
 * Maps a settled login or two-factor call. `secondStep` changes the meaning of 404 (an unknown or
 * expired twoFactorId, not an unknown user) and gives 421 (a wrong code) its meaning.
 */
export function interpretLogin(
  statusCode: number | undefined,
  response: LoginResponse | undefined,
  applicationId: string,
  secondStep: boolean,
): LoginOutcome {
  if (statusCode === undefined) return { kind: 'unavailable', reason: 'network_error', statusCode };
  const userId = response?.user?.id;
  if (statusCode === 200 && response) {
    const user = sessionUserFrom(response, applicationId);
    if (user) return { kind: 'authenticated', user, refreshTokenId: response.refreshTokenId };
    return { kind: 'unavailable', reason: 'unexpected_status', statusCode };
  }
  if (statusCode === 242 && response?.twoFactorId) {
    const methods = (response.methods ?? []).map((method) => ({ id: method.id ?? '', method: method.method ?? '' }));
    return { kind: 'two_factor_required', twoFactorId: response.twoFactorId, methods };
  }
  if (statusCode === 203 && response?.changePasswordId) {
    return { kind: 'password_change_required', changePasswordId: response.changePasswordId, userId };
  }
  // A 203 without the id to change the password with leaves nothing to offer but the refusal.
  const refusal = refusals[statusCode];
  if (refusal) return { kind: 'refused', code: refusal, userId };
  if (secondStep && statusCode === 404) return { kind: 'two_factor_expired' };
  if (secondStep && statusCode === 421) return { kind: 'invalid_code' };
  const failure = credentialFailures[statusCode];
  if (failure) return { kind: 'invalid_credentials', reason: failure, userId };
  if (statusCode === 400) return { kind: 'invalid_request' };
  if (statusCode === 401) return { kind: 'unavailable', reason: 'api_key_rejected', statusCode };
  if (statusCode >= 500) return { kind: 'unavailable', reason: 'server_error', statusCode };
  return { kind: 'unavailable', reason: 'unexpected_status', statusCode };
}
