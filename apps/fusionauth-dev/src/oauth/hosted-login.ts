import type { RefreshTokenRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { issueChangePasswordId } from '../users/password-change.js';
import { defaultLocale } from './assumptions.js';
import { issueCode } from './authorization-codes.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { redirectTo, type RedirectAnswer } from './redirects.js';
import { startSsoSession } from './sso-sessions.js';

/** Who has authenticated for an authorize request, and how: a form login or the SSO session. */
export interface Authentication {
  record: UserRecord;
  authenticationType: string;
  /** Unix seconds. */
  authTime: number;
  /** The SSO session that vouched for a silent login, when there was one. */
  ssoSession?: RefreshTokenRecord | undefined;
  /** "Keep me signed in" on the form: a form login then starts an SSO session. */
  rememberDevice: boolean;
}

/** What answers an authenticated authorize request. */
export type Completion =
  | { kind: 'redirect'; answer: RedirectAnswer; ssoSession: RefreshTokenRecord | undefined }
  | { kind: 'password_change'; changePasswordId: string }
  | { kind: 'not_registered'; ssoSession: RefreshTokenRecord | undefined };

/**
 * `userState` on the success redirect (fusionauth-java-client `oauth2/UserState`): registration
 * first, then its verification, then the email's (fusionauth-java-client `oauth2/UserState.fromUserAndRegistration`: a hint, not proof).
 */
function userStateOf(request: AuthorizeRequest, record: UserRecord): string {
  const { application, tenant } = request;
  const registration = record.user.registrations?.find((candidate) => candidate.applicationId === application.id);
  if (!registration) return 'AuthenticatedNotRegistered';
  if (application.verifyRegistration && !registration.verified) return 'AuthenticatedRegistrationNotVerified';
  if (tenant.emailConfiguration?.verifyEmail && !record.user.verified) return 'AuthenticatedNotVerified';
  return 'Authenticated';
}

/** A `changePasswordId` for a user who must change their password, valid for the tenant's window. */
export function startPasswordChange(store: StandInStore, request: AuthorizeRequest, record: UserRecord): string {
  return issueChangePasswordId(store, request.tenant, record, {
    applicationId: request.application.id,
    sentByEmail: false,
    implicitTrust: true,
  }).changePasswordId;
}

/**
 * Finishes an authorize request for a user who has authenticated, with the rules of an interactive
 * login whether or not a form was shown (LSM): a required password change comes first; then the SSO
 * session starts if the form asked for it; an application that requires registration shows the
 * not-registered page to a user without one; otherwise a code goes back to the redirect URI with
 * the user's state (the success redirect, its parameters in alphabetical order as FusionAuth sends them).
 */
export function completeAuthorization(
  store: StandInStore,
  request: AuthorizeRequest,
  authentication: Authentication,
): Completion {
  const { record } = authentication;
  const { application, tenant } = request;
  if (record.user.passwordChangeRequired) {
    return { kind: 'password_change', changePasswordId: startPasswordChange(store, request, record) };
  }
  const ssoSession =
    authentication.ssoSession ??
    (authentication.rememberDevice
      ? startSsoSession(store, tenant, record, authentication.authenticationType, authentication.authTime)
      : undefined);
  const registered = record.user.registrations?.some((candidate) => candidate.applicationId === application.id);
  if (!registered && application.oauthConfiguration?.requireRegistration) {
    return { kind: 'not_registered', ssoSession };
  }
  const now = Date.now();
  record.user.lastLoginInstant = now;
  const registration = record.user.registrations?.find((candidate) => candidate.applicationId === application.id);
  if (registration) registration.lastLoginInstant = now;

  const code = issueCode(store, tenant.externalIdentifierConfiguration?.authorizationGrantIdTimeToLiveInSeconds, {
    clientId: application.id,
    tenantId: tenant.id,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes: request.scopes,
    nonce: request.nonce,
    userId: record.user.id,
    ssoSessionId: ssoSession?.id,
    authTime: authentication.authTime,
    authenticationType: authentication.authenticationType,
  });
  const answer = redirectTo(request.redirectUri, request.responseMode, [
    ['code', code],
    ['iss', tenant.issuer ?? 'acme.com'],
    ['locale', request.locale ?? defaultLocale],
    ['state', request.state],
    ['userState', userStateOf(request, record)],
  ]);
  return { kind: 'redirect', answer, ssoSession };
}
