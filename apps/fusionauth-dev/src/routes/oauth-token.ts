import { createHash } from 'node:crypto';
import { GrantType, ProofKeyForCodeExchangePolicy } from '@fusionauth/typescript-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stillAllowed } from '../login/login-flow.js';
import { liveRefreshToken } from '../login/tokens.js';
import {
  grantDisabledError,
  invalidCodeError,
  pkceError,
  redirectUriMismatchError,
  wrongContentTypeReason,
} from '../oauth/assumptions.js';
import { takeCode } from '../oauth/authorization-codes.js';
import { firstValue } from '../oauth/authorize-request.js';
import { identifyClient, requireClientSecret, type ClientIdentity } from '../oauth/client-authentication.js';
import { invalidRequest, OAuthEndpointError } from '../oauth/oauth-error.js';
import { issueTokens } from '../oauth/oauth-tokens.js';
import type { StandInStore } from '../state/store.js';

type Fields = Record<string, unknown>;

const refusal = (status: number, error: string, reason: string, description: string) =>
  new OAuthEndpointError(status, { error, error_description: description, error_reason: reason });

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) against the challenge. */
function pkceHolds(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}

/** Only a form body counts; any other body, or none, has no fields. */
export function formFields(request: FastifyRequest): Fields {
  const type = request.headers['content-type'] ?? '';
  return /^application\/x-www-form-urlencoded\b/i.test(type) && request.body && typeof request.body === 'object'
    ? (request.body as Fields)
    : {};
}

/**
 * The token endpoint (fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints#token): the authorization code grant, with PKCE and client
 * authentication under the application's policies, and the refresh token grant. Answers FusionAuth's
 * success body with `Cache-Control: no-store`, or its OAuthError JSON with 400 or 401.
 */
export function tokenRoutes(app: FastifyInstance, store: StandInStore): void {
  const codeGrant = async (client: ClientIdentity, fields: Fields) => {
    const code = firstValue(fields['code']);
    const redirectUri = firstValue(fields['redirect_uri']);
    if (!code) throw invalidRequest('missing_code', 'The code parameter is required.');
    if (!redirectUri) throw invalidRequest('missing_redirect_uri', 'The redirect_uri parameter is required.');
    const verifier = firstValue(fields['code_verifier']);
    const { application } = client;
    const policy = application.oauthConfiguration?.proofKeyForCodeExchangePolicy;

    const grant = takeCode(store, code);
    const record = grant && grant.clientId === application.id ? store.users.get(grant.userId) : undefined;
    const tenant = grant && store.tenants.get(grant.tenantId);
    if (
      !grant ||
      !record ||
      !tenant ||
      grant.clientId !== application.id ||
      record.user.tenantId !== grant.tenantId ||
      application.tenantId !== grant.tenantId
    ) {
      throw refusal(400, invalidCodeError, 'auth_code_not_found', 'Invalid Authorization Code');
    }
    if (redirectUri !== grant.redirectUri) {
      throw refusal(400, redirectUriMismatchError, 'invalid_redirect_uri', `Invalid redirect uri ${redirectUri}`);
    }
    const pkceRequired =
      grant.codeChallenge !== undefined ||
      policy === ProofKeyForCodeExchangePolicy.Required ||
      (policy === ProofKeyForCodeExchangePolicy.NotRequiredWhenUsingClientAuthentication && !client.authenticated);
    if (pkceRequired && !verifier) {
      throw refusal(400, pkceError, 'missing_code_verifier', 'The code_verifier parameter is required.');
    }
    const pkceVerified =
      verifier !== undefined && grant.codeChallenge !== undefined && pkceHolds(verifier, grant.codeChallenge);
    if (verifier !== undefined && (grant.codeChallenge === undefined || !pkceVerified)) {
      throw refusal(
        400,
        pkceError,
        'invalid_pkce_code_verifier',
        'The code_verifier does not match the code_challenge.',
      );
    }
    requireClientSecret(client, pkceVerified);
    // The account may have been locked or deleted between the login and the exchange.
    if (stillAllowed(store, record)) {
      throw refusal(400, invalidCodeError, 'auth_code_not_found', 'Invalid Authorization Code');
    }
    return issueTokens(store, {
      record,
      tenant,
      application,
      scopes: grant.scopes,
      authTime: grant.authTime,
      authenticationType: grant.authenticationType,
      grantTypes: [GrantType.authorization_code],
      nonce: grant.nonce,
      code,
      ssoSessionId: grant.ssoSessionId,
    });
  };

  const refreshGrant = async (client: ClientIdentity, fields: Fields) => {
    requireClientSecret(client, false);
    const value = firstValue(fields['refresh_token']);
    if (!value) throw invalidRequest('missing_refresh_token', 'The refresh_token parameter is required.');
    const token = liveRefreshToken(store, value);
    const record = token && store.users.get(token.userId);
    const tenant = token && store.tenants.get(token.tenantId);
    if (!token || !record || !tenant || token.applicationId !== client.application.id || stillAllowed(store, record)) {
      throw refusal(400, 'invalid_grant', 'invalid_refresh_token', 'The refresh token is expired, unknown or revoked.');
    }
    const askedLifetime = firstValue(fields['expires_in']);
    if (askedLifetime !== undefined && !/^[1-9]\d{0,9}$/.test(askedLifetime)) {
      throw invalidRequest('invalid_expires_in', 'The expires_in parameter must be a positive number of seconds.');
    }
    const granted = token.scopes ?? [];
    const asked = firstValue(fields['scope']);
    const scopes = asked === undefined ? granted : asked.split(' ').filter((scope) => scope !== '');
    if (scopes.some((scope) => !granted.includes(scope))) {
      throw refusal(400, 'invalid_scope', 'invalid_scope', 'The scope asked for exceeds the scope originally granted.');
    }
    return issueTokens(
      store,
      {
        record,
        tenant,
        application: client.application,
        scopes,
        authTime: Math.floor(token.startInstant / 1000),
        authenticationType: 'REFRESH_TOKEN',
        grantTypes: [GrantType.authorization_code, GrantType.refresh_token],
        refreshTokenId: token.id,
        // Since 1.59 a refresh may ask for a shorter-lived access token, never a longer one.
        maximumLifetime: askedLifetime === undefined ? undefined : Number(askedLifetime),
      },
      token,
    );
  };

  app.post('/oauth2/token', async (request: FastifyRequest, reply: FastifyReply) => {
    const fields = formFields(request);
    const grantType = firstValue(fields['grant_type']);
    if (!grantType) {
      throw invalidRequest(wrongContentTypeReason, 'The grant_type parameter is required.');
    }
    const client = identifyClient(store, request, fields);
    const supported = [GrantType.authorization_code, GrantType.refresh_token].find(
      (grant) => String(grant) === grantType,
    );
    if (supported === undefined) {
      throw refusal(400, 'unsupported_grant_type', 'invalid_grant_type', `Unsupported grant_type ${grantType}.`);
    }
    if (!(client.application.oauthConfiguration?.enabledGrants ?? []).includes(supported)) {
      throw refusal(400, grantDisabledError, 'grant_type_disabled', `The ${grantType} grant is not enabled.`);
    }
    const tokens =
      supported === GrantType.authorization_code ? await codeGrant(client, fields) : await refreshGrant(client, fields);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
  });
}
