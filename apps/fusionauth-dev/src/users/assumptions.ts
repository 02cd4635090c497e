/**
 * The stand-in's answers where FusionAuth's documentation of the sign-up, forgot-password,
 * change-password and email-verification APIs is silent or ambiguous ("[?]"), recorded as
 * ../oauth/assumptions.ts records the OAuth ones: one constant each, so that settling one is a
 * one-line change. The contract suite asserts those a run against a real FusionAuth can settle.
 * Documentation quoted is FusionAuth's (fusionauth.io/docs/apis/users/…, /apis/registrations).
 */

/**
 * [?] `rememberPreviousPasswords.count` counts the current password: with a count of 1 a user
 * cannot "change" to the password they have. The documentation says only "the number of previous
 * passwords to remember".
 */
export const rememberedPasswordsIncludeCurrent = true;

/**
 * [?] The Change Password API answers a `oneTimePassword` whenever it is called with a
 * `changePasswordId`, with or without an `applicationId`: its documentation returns a body
 * "unless the API was called with an API key with a loginId". The contract suite asks with one.
 */
export const oneTimePasswordWithoutApplication = true;

/**
 * [?] The `changePasswordId` of a 203 login (a required password change) needs no trust token for
 * a user with two factors: the user has just signed in, second factor included. A
 * `changePasswordId` from the Forgot Password API does need one (`[TrustTokenRequired]`), as
 * documented; the stand-in has no step-up API to get one, so such a user cannot reset a password.
 */
export const loginChangePasswordIdImplicitTrust = true;

/**
 * [?] A new email verification id (a resend) replaces the user's earlier ones, so only the latest
 * link works. The documentation says a resend is for an email that was deleted or whose id expired.
 */
export const newVerificationIdReplacesEarlier = true;

/**
 * [?] Asking for a new verification email for a user whose address is already verified gives a
 * new id and sends the email again: the documentation names no refusal.
 */
export const resendToVerifiedUser: 'sends' | 'refuses' = 'sends';

/**
 * [?] The combined user and registration answer lists `verificationIds` (since 1.62: "the list of
 * all identity verifications that exist for a user") when an email verification was started.
 */
export const registrationListsVerificationIds = true;

/** [?] `authenticationType` of the access token the Registration API answers (FusionAuth lists `REGISTRATION` and `USER_CREATE`). */
export const registrationAuthenticationType = 'REGISTRATION';

/** [?] `authenticationType` after a Login API call with a `oneTimePassword`. */
export const oneTimePasswordAuthenticationType = 'ONE_TIME_PASSWORD';

/**
 * [?] Without an API key, the Forgot Password and resend-verification APIs answer 200 with no body
 * for an unknown login id or email, as for a known one, so that nobody learns who has an account;
 * with an API key they answer 404. The documentation gives 404 without saying when.
 */
export const unknownUserWithoutApiKeyStatus = 200;
