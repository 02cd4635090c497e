import type { ChangePasswordResponse, Errors, RegistrationResponse } from '@fusionauth/typescript-client';
import type { UnavailableReason } from './login-outcome.js';
import { passwordProblems } from './password-problems.js';

/**
 * How FusionAuth's account APIs end, decided by status code and error codes as FusionAuth
 * documents them. As with logins, the typescript client rejects every non-2xx answer with a
 * ClientResponse; the gateway settles it and hands the status and body here.
 * https://fusionauth.io/docs/apis/registrations, /apis/users#start-forgot-password-workflow,
 * #change-a-users-password, #verify-a-users-email
 */
export interface SettledCall<T> {
  statusCode: number | undefined;
  response: T | undefined;
  timedOut: boolean;
}

/** A Registration API answer: the new user on a 200, FusionAuth's `Errors` on a 400. */
export type SignUpAnswer = RegistrationResponse & Errors;
/** A Change Password API answer: the one-time password on a 200, `Errors` on a 400. */
export type PasswordChangeAnswer = ChangePasswordResponse & Errors;

export type Unavailable = { kind: 'unavailable'; reason: UnavailableReason; statusCode: number | undefined };

/** A new account (the Registration API creating the user and registering them for this app at once). */
export type SignUpOutcome =
  | { kind: 'created'; userId: string; refreshTokenId: string | undefined }
  /** `[duplicate]user.email`: someone has the address already. */
  | { kind: 'email_taken' }
  | { kind: 'password_rejected'; problems: string[] }
  /** Any other refusal of the request: `fields` names what FusionAuth refused, for the log. */
  | { kind: 'invalid_request'; fields: string[] }
  | Unavailable;

/** An email asked for (Forgot Password, or a new verification email). */
export type EmailOutcome =
  | { kind: 'sent' }
  /** No such user, or one without an email address: answered exactly like `sent`. */
  | { kind: 'no_account' }
  /** FusionAuth has no email template for it (403): nobody gets the email until an operator sets one. */
  | { kind: 'no_template' }
  | { kind: 'invalid_request' }
  | Unavailable;

/** A password set with a `changePasswordId` (from the reset email, or from a 203 login). */
export type PasswordChangeOutcome =
  | { kind: 'changed'; oneTimePassword: string | undefined }
  /** Unknown, already used or expired (404). */
  | { kind: 'expired' }
  | { kind: 'password_rejected'; problems: string[] }
  /** `[TrustTokenRequired]`: a user with two factors must complete a step-up this app cannot ask for. */
  | { kind: 'trust_required' }
  | { kind: 'invalid_request' }
  | Unavailable;

/** An existing user registered for this app (joining it with the account they have). */
export type JoinOutcome =
  { kind: 'registered' } | { kind: 'already_registered' } | { kind: 'invalid_request' } | Unavailable;

/** An email address verified with the `verificationId` from its email. */
export type VerificationOutcome = { kind: 'verified' } | { kind: 'expired' } | Unavailable;

/** The outcome of a call that did not get a usable answer: FusionAuth (or the way to it) failed. */
export function unavailableOf(settled: SettledCall<unknown>): Unavailable {
  const { statusCode } = settled;
  if (settled.timedOut) return { kind: 'unavailable', reason: 'timeout', statusCode: undefined };
  if (statusCode === undefined) return { kind: 'unavailable', reason: 'network_error', statusCode };
  if (statusCode === 401) return { kind: 'unavailable', reason: 'api_key_rejected', statusCode };
  if (statusCode >= 500) return { kind: 'unavailable', reason: 'server_error', statusCode };
  return { kind: 'unavailable', reason: 'unexpected_status', statusCode };
}

const errorCodes = (errors: Errors | undefined): string[] => [
  ...Object.values(errors?.fieldErrors ?? {}).flatMap((list) => list.map((error) => error.code ?? '')),
  ...(errors?.generalErrors ?? []).map((error) => error.code ?? ''),
];

export function interpretSignUp(settled: SettledCall<SignUpAnswer>): SignUpOutcome {
  const { statusCode, response } = settled;
  if (statusCode === 200 && response?.user?.id) {
    return { kind: 'created', userId: response.user.id, refreshTokenId: response.refreshTokenId };
  }
  if (statusCode === 400) {
    // The password's problems before a taken address: FusionAuth reports both together, and the
    // answer to a weak password must say nothing about whether the address has an account.
    const problems = passwordProblems(response, 'user.password');
    if (problems.length > 0) return { kind: 'password_rejected', problems };
    const emailErrors = response?.fieldErrors?.['user.email'] ?? [];
    if (emailErrors.some((error) => error.code?.startsWith('[duplicate]'))) return { kind: 'email_taken' };
    return { kind: 'invalid_request', fields: Object.keys(response?.fieldErrors ?? {}) };
  }
  return unavailableOf(settled);
}

export function interpretEmailRequest(settled: SettledCall<unknown>): EmailOutcome {
  const { statusCode } = settled;
  if (statusCode === 200) return { kind: 'sent' };
  // 422: the user exists but has no email address to send to; to the asker, the same as no user.
  if (statusCode === 404 || statusCode === 422) return { kind: 'no_account' };
  if (statusCode === 403) return { kind: 'no_template' };
  if (statusCode === 400) return { kind: 'invalid_request' };
  return unavailableOf(settled);
}

export function interpretPasswordChange(settled: SettledCall<PasswordChangeAnswer>): PasswordChangeOutcome {
  const { statusCode, response } = settled;
  if (statusCode === 200) return { kind: 'changed', oneTimePassword: response?.oneTimePassword };
  if (statusCode === 404) return { kind: 'expired' };
  if (statusCode === 400) {
    const problems = passwordProblems(response, 'password');
    if (problems.length > 0) return { kind: 'password_rejected', problems };
    if (errorCodes(response).some((code) => code.startsWith('[TrustTokenRequired]'))) return { kind: 'trust_required' };
    return { kind: 'invalid_request' };
  }
  return unavailableOf(settled);
}

export function interpretVerification(settled: SettledCall<unknown>): VerificationOutcome {
  const { statusCode } = settled;
  if (statusCode === 200) return { kind: 'verified' };
  // 400 is an id of the wrong form: to the person holding the link, the same as an old one.
  if (statusCode === 404 || statusCode === 400) return { kind: 'expired' };
  return unavailableOf(settled);
}

export function interpretJoin(settled: SettledCall<SignUpAnswer>): JoinOutcome {
  const { statusCode, response } = settled;
  if (statusCode === 200) return { kind: 'registered' };
  if (statusCode === 400) {
    const registrationErrors = response?.fieldErrors?.['registration.applicationId'] ?? [];
    // Registered meanwhile (another tab, an administrator): the sign-in that follows will tell.
    if (registrationErrors.some((error) => error.code?.startsWith('[duplicate]')))
      return { kind: 'already_registered' };
    return { kind: 'invalid_request' };
  }
  return unavailableOf(settled);
}
