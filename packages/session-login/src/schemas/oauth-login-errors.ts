/**
 * Why a sign-in through FusionAuth's hosted pages did not end in a session: the `login_error`
 * query parameter the callback (or the login start) adds to the SPA's address, and the plain words
 * the SPA shows for each. Kept apart from the zod schemas (no zod here), so that an SPA importing
 * the words does not bundle zod.
 */
export const oauthLoginErrorCodes = [
  /** No pre-login record, or a used one: a replayed callback, or one that took more than ten minutes. */
  'sign_in_expired',
  /** FusionAuth wants the user to sign in (again) before it answers. */
  'login_required',
  /** The user cancelled at FusionAuth. */
  'access_denied',
  /** A state or issuer mismatch, any other FusionAuth error, a refused code, a token that fails its checks. */
  'sign_in_failed',
  /** FusionAuth unreachable, slow, failing, or refusing this app's client secret. */
  'identity_unavailable',
  /** The account exists but is not registered for this app. */
  'not_registered',
  /** The account's email address is not verified yet. */
  'email_not_verified',
  /** Too many sign-ins started from this address: wait, then try again. */
  'too_many_attempts',
] as const;
export type OAuthLoginErrorCode = (typeof oauthLoginErrorCodes)[number];

/** What the SPA shows for each code, in plain words; `app` is the app's name (`Store`, `Forum`). */
export const oauthLoginErrorMessages: Record<OAuthLoginErrorCode, (app: string) => string> = {
  sign_in_expired: () => 'That sign-in took too long or was already used. Please sign in again.',
  login_required: () => 'Please sign in again.',
  access_denied: () => 'Signing in was cancelled.',
  sign_in_failed: () => 'Signing in did not work. Please try again.',
  identity_unavailable: () => 'Signing in is unavailable right now. Please try again in a few moments.',
  not_registered: (app) => `Your account exists, but it is not registered for the ${app}.`,
  email_not_verified: () => 'Please verify your email address first: look for the message we sent you.',
  too_many_attempts: () => 'Too many sign-in attempts from here. Please wait a minute, then try again.',
};
