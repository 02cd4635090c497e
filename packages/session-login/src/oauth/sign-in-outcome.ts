import { errors as joseErrors, type JWTPayload } from 'jose';
import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  type IDToken,
} from 'openid-client';
import type { OAuthLoginErrorCode } from '../schemas/oauth-login-errors.js';
import type { SignIn } from '../session/session-service.js';
import { FusionAuthUnavailable } from './back-channel-fetch.js';

/** Discovery gave no Configuration: FusionAuth unreachable, or not the issuer this app expects. */
export class DiscoveryFailed extends Error {
  override name = 'DiscoveryFailed';
}

/** A sign-in at FusionAuth that makes no session, with what the log needs to tell why. */
export interface SignInRefusal {
  kind: 'refused';
  /** What the SPA is told (`login_error`). */
  code: OAuthLoginErrorCode;
  /** What went wrong, in this backend's words, for the log. */
  reason: string;
  /** FusionAuth's own `error` and `error_reason`, when it gave them; never the authorization code. */
  fusionAuthError?: string | undefined;
  fusionAuthErrorReason?: string | undefined;
  statusCode?: number | undefined;
  /** The message of the library's error, for the log. */
  detail?: string | undefined;
  userId?: string | undefined;
  /** A refresh token FusionAuth issued all the same: it must not outlive the sign-in, and is revoked. */
  refreshTokenId?: string | undefined;
}

export type SignInOutcome = { kind: 'signed_in'; signIn: SignIn } | SignInRefusal;

/** FusionAuth's authorize errors that ask for an interactive sign-in (OpenID Connect Core §3.1.2.6). */
const interactionErrors = new Set(['login_required', 'interaction_required', 'consent_required']);

/** The nearest error of `type` in a chain of causes (openid-client and jose wrap what the fetch threw). */
function causeOf<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

const refused = (code: OAuthLoginErrorCode, reason: string, more: Partial<SignInRefusal> = {}): SignInRefusal => ({
  kind: 'refused',
  code,
  reason,
  ...more,
});

/**
 * Why a sign-in failed before any token could be trusted, from what openid-client, jose or the
 * back channel threw. An outage of FusionAuth (no answer in time, no connection, a 5xx) and a
 * client secret FusionAuth refuses are `identity_unavailable`: nothing the user did, and worth
 * another try once fixed. What FusionAuth refused, and whatever fails a check (state, issuer,
 * nonce, signatures), is `sign_in_failed`.
 */
export function refusalOf(error: unknown): SignInRefusal {
  const outage = causeOf(error, FusionAuthUnavailable);
  if (outage) return refused('identity_unavailable', outage.reason, { statusCode: outage.statusCode });
  if (error instanceof DiscoveryFailed) {
    return refused('identity_unavailable', 'discovery_failed', { detail: describe(error) });
  }
  if (error instanceof AuthorizationResponseError) {
    const fusionAuthError = error.error;
    const code = interactionErrors.has(fusionAuthError)
      ? 'login_required'
      : fusionAuthError === 'access_denied'
        ? 'access_denied'
        : 'sign_in_failed';
    return refused(code, 'authorization_error', {
      fusionAuthError,
      fusionAuthErrorReason: error.cause.get('error_reason') ?? undefined,
    });
  }
  if (error instanceof ResponseBodyError || error instanceof WWWAuthenticateChallengeError) {
    const body = error instanceof ResponseBodyError ? error.cause : undefined;
    const details = {
      statusCode: error.status,
      fusionAuthError: typeof body?.['error'] === 'string' ? body['error'] : undefined,
      fusionAuthErrorReason: typeof body?.['error_reason'] === 'string' ? body['error_reason'] : undefined,
    };
    // 401 invalid_client: FusionAuth does not accept this app's client secret. Only its operator can fix that.
    if (error.status === 401 || details.fusionAuthError === 'invalid_client') {
      return refused('identity_unavailable', 'client_rejected', details);
    }
    return refused('sign_in_failed', 'token_request_refused', details);
  }
  if (error instanceof ClientError && (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT')) {
    return refused('identity_unavailable', 'timeout');
  }
  if (error instanceof joseErrors.JWKSTimeout) return refused('identity_unavailable', 'timeout');
  if (error instanceof ClientError) {
    return refused('sign_in_failed', 'response_rejected', { detail: `${error.code ?? ''} ${describe(error)}`.trim() });
  }
  if (error instanceof joseErrors.JOSEError) {
    return refused('sign_in_failed', 'access_token_rejected', { detail: `${error.code} ${error.message}` });
  }
  return refused('sign_in_failed', 'unexpected_error', { detail: describe(error) });
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const isRoleList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((role) => typeof role === 'string');

/**
 * What the checked tokens of a callback say: a session for the user, or why not. The access token
 * must be for this app and carry its roles (FusionAuth puts `applicationId` and `roles` in it only
 * for a registered user), and the id token must not say the email address is unverified. These
 * are defence in depth behind FusionAuth's own `requireRegistration` and verification settings.
 */
export function outcomeOfTokens(
  idToken: IDToken,
  accessToken: JWTPayload,
  refreshTokenId: string | undefined,
  applicationId: string,
): SignInOutcome {
  const userId = idToken.sub;
  if (accessToken.sub !== userId) {
    return refused('sign_in_failed', 'subject_mismatch', { userId, refreshTokenId });
  }
  const roles = accessToken['roles'];
  if (accessToken['applicationId'] !== applicationId || !isRoleList(roles)) {
    return refused('not_registered', 'not_registered', { userId, refreshTokenId });
  }
  if (idToken['email_verified'] === false) {
    return refused('email_not_verified', 'email_not_verified', { userId, refreshTokenId });
  }
  const firstName = text(idToken['given_name']);
  const lastName = text(idToken['family_name']);
  return {
    kind: 'signed_in',
    signIn: {
      user: {
        id: userId,
        email: text(idToken['email']) ?? text(idToken['preferred_username']) ?? '',
        ...(firstName !== undefined && { firstName }),
        ...(lastName !== undefined && { lastName }),
        roles,
      },
      refreshTokenId,
      // FusionAuth's page asked for the password; anything else (`PING`, a remembered device) was SSO.
      signedInWith: idToken['authenticationType'] === 'PASSWORD' ? 'fusionauth' : 'single_sign_on',
    },
  };
}
