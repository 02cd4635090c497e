import type { GrantType } from '@fusionauth/typescript-client';

/**
 * The stand-in's interim answers where FusionAuth's behaviour is unconfirmed ("[?]" below: its
 * documentation is silent or its sources disagree; the README lists them). Each is one constant so
 * that settling it is a one-line change: the contract suite asserts these values, and a run against
 * a real FusionAuth (docker compose) shows which ones are wrong.
 */

/**
 * [?] `application.oauthConfiguration.enabledGrants` when a request leaves it out. FusionAuth's domain class starts with an empty set, while the
 * admin UI enables the authorization code and refresh token grants for a new application. The
 * stand-in stores what it is given and this when nothing is; the kickstart always sets it.
 */
export const defaultEnabledGrants: readonly GrantType[] = [];

/**
 * [?] How long a generated `oauthConfiguration.clientSecret` is, in random bytes (FusionAuth
 * generates one when a create leaves it blank). Not an open question, because nothing depends on
 * it beyond its being unguessable: 32 bytes, written base64url without padding (43 characters).
 */
export const generatedClientSecretBytes = 32;

/**
 * [?] The authorize error page: its status, and the
 * `error` for `client_id` problems (FusionAuth's users quote only the `redirect_uri` body). The
 * contract suite asserts `error_reason` only for the latter.
 */
export const errorPageStatus = 400;
export const clientIdError = 'invalid_request';

/**
 * [?] The `error` of the redirects whose code FusionAuth does not document: at authorize and at the token endpoint.
 */
export const pkceError = 'invalid_request';
export const promptError = 'invalid_request';
export const grantDisabledError = 'unauthorized_client';
export const redirectUriMismatchError = 'invalid_request';

/**
 * [?] The `error` for an unknown, expired or reused code at the token endpoint: the 1.4
 * body on record says `invalid_request` with reason `auth_code_not_found`; later versions may say
 * `invalid_grant`.
 */
export const invalidCodeError = 'invalid_request';

/**
 * [?] A token request whose body is not a form: the form fields are simply not there, so it is answered as a request without a grant type.
 */
export const wrongContentTypeReason = 'missing_grant_type';

/** [?] The success redirect's `locale`: the request's `locale` parameter, else this. */
export const defaultLocale = 'en';

/**
 * [?] `authenticationType` in the tokens of a login that the SSO session completed without a form:
 * FusionAuth's logout and session management page hints at PING.
 */
export const silentAuthenticationType = 'PING';

/**
 * [?] The SSO session's lifetime: `true` slides it by the
 * tenant's `httpSessionMaxInactiveInterval` at every use, as the setting's name suggests.
 */
export const ssoSessionSlides = true;

/** [?] The `fusionauth.sso` cookie's `SameSite` and `Path`: Lax so that step 9's cross-site arrival carries it. */
export const ssoCookieSameSite = 'lax' as const;
export const ssoCookiePath = '/';

/** FusionAuth's "70 Years" for its persistent cookies (fusionauth.io/docs/reference/cookies), in seconds. */
export const persistentCookieMaxAge = 70 * 365 * 24 * 60 * 60;

/**
 * [?] The id token's `sid`: FusionAuth's tokens page says the SSO session id, its logout and session management page the refresh token's id. The
 * stand-in sends the SSO session's refresh-token id, and no `sid` when the login made no SSO session.
 */
export const idTokenSid: 'sso-session' | 'refresh-token' = 'sso-session';

/**
 * [?] How a hosted form's POST reaches the page after it: a 302 to that page, carrying its id and
 * the OAuth fields in the query. The login POST reaches the two-factor and password-change pages so;
 * the forgot-password POST the sent page (the login id in the query too, for its "We have sent a
 * message to …"); a password change outside any OAuth request the password-complete page.
 */
export const hostedStepStatus = 302;

/**
 * [?] Whether the hosted pages need a CSRF token: no; the forms carry none. The default theme's
 * forgot-password and change-password forms carry none either (its only CSRF tokens are on the
 * confirmation-required page and the federated login buttons). The change form is guarded by the
 * `changePasswordId` it must post, which only the email's reader has.
 */
export const hostedFormsNeedCsrfToken = false;

/**
 * [?] What the forgot-password page puts in the Forgot Password request's `state`, which the email
 * template then sees: the OAuth parameters of the authorize request that have a value, by their
 * own names (`state.client_id`, `state.redirect_uri`, `state.state`…). FusionAuth's default
 * template lists `state` into the link, skipping `client_id` and `tenantId`, so it expects those
 * two in it; which other names it holds, and whether empty ones are among them, is not documented.
 */
export const forgotPasswordStateSkipsEmpty = true;

/**
 * [?] Whether a password change reached from the forgot-password email signs the user in and
 * completes the OAuth request the reset was asked from (a code to its `redirect_uri`), rather than
 * ending on the password-complete page, which FusionAuth's theme documentation describes for every
 * change. A maintainer's description (FusionAuth/fusionauth-issues#2110): "we use the captured
 * state to complete the OAuth workflow"; and #1827: removing `client_id` from the link does not
 * stop it. So the request is the one the Forgot Password request's `state` recorded, whatever the
 * link carries, else the link's; outside any OAuth request the complete page is shown.
 */
export const passwordResetCompletesAuthorization = true;

/** [?] `authenticationType` in the tokens of the login a hosted password reset completes. */
export const passwordResetAuthenticationType = 'PASSWORD';

/**
 * [?] The page an unknown, expired or spent `changePasswordId` leads to on the hosted password
 * pages: the forgot-password form with `[InvalidChangePasswordId]` ("… Please retry your
 * request."), the OAuth fields carried, so that the user can ask for another email or return to
 * the login. The message's key is FusionAuth's; the page it is shown on is not documented. Outside
 * an OAuth request there is no form to show, and the message stands alone.
 */
export const invalidChangePasswordIdPage: 'forgot-password' | 'login' = 'forgot-password';

/**
 * [?] `baseUrl` in email templates (since 1.68.0) when neither the application nor the tenant sets
 * `baseURL`: FusionAuth's email variables page says only "a local development fallback URL". The
 * stand-in uses the tenant's issuer when it is an http(s) URL, which in this project is the
 * address browsers reach FusionAuth at (the kickstart's `http://localhost:9011`, moved wherever the
 * stand-in listens), and otherwise the address FusionAuth's shipped templates write out.
 */
export const baseUrlFallsBackToIssuer = true;
export const developmentBaseUrl = 'http://localhost:9011';

/** [?] The status of the not-registered page. */
export const notRegisteredPageStatus = 200;

/** [?] `/oauth2/userinfo` with a token whose scope lacks `openid`, under Strict. */
export const userinfoWithoutOpenIdStatus = 401;

/** [?] Whether wrong passwords on the hosted login page count toward the tenant's lockout. */
export const hostedFailuresCountTowardLockout = true;

/**
 * [?] Whether ending the SSO session fires `jwt.refresh-token.revoke`: it does, without an
 * `applicationId`, which the apps' webhook handlers ignore.
 */
export const ssoEndFiresRevokeEvent = true;

/**
 * [?] Whether wrong codes on the hosted two-factor page count toward the tenant's lockout like wrong
 * passwords, so that guessing ends in `[LoginPreventedExceptionTooManyTwoFactorAttempts]`. FusionAuth's own count is not documented.
 */
export const hostedTwoFactorFailuresCountTowardLockout = true;

/**
 * [?] `prompt=none` when the SSO session is there but the login needs a page (a required password
 * change, the not-registered page): the specification is silent; OpenID Connect Core §3.1.2.6 has
 * the client told, with this error, rather than a page shown.
 */
export const promptNoneInteractionError = 'interaction_required';
