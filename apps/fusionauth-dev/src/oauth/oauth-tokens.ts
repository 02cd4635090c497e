import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { OAuthScopeHandlingPolicy } from '@fusionauth/typescript-client';
import { SignJWT, type JWTPayload } from 'jose';
import { jwtSetting } from '../login/tokens.js';
import { idTokenSid } from './assumptions.js';
import type { ApplicationRecord, RefreshTokenRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

/** What an OAuth grant issues tokens for: the user, the client, the scopes and the authentication. */
export interface TokenGrant {
  record: UserRecord;
  tenant: TenantRecord;
  application: ApplicationRecord;
  scopes: string[];
  /** Unix seconds; kept across refreshes. */
  authTime: number;
  authenticationType: string;
  /** The grants behind the tokens, the `gty` header: `authorization_code`, then `refresh_token` after a refresh. */
  grantTypes: string[];
  nonce?: string | undefined;
  /** The authorization code, for the id token's `c_hash`. */
  code?: string | undefined;
  /** The SSO session's refresh-token id (the id token's `sid`). */
  ssoSessionId?: string | undefined;
  /** The application refresh token's id (the access token's `sid`). */
  refreshTokenId?: string | undefined;
  /** Seconds: the access token lives no longer than this (a refresh's `expires_in`). */
  maximumLifetime?: number | undefined;
}

/** The token endpoint's success body (fusionauth-java-client `io.fusionauth.domain.oauth2.AccessToken`). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  refresh_token_id?: string;
  scope: string;
  token_type: 'Bearer';
  userId: string;
}

/**
 * `at_hash` and `c_hash` (OpenID Connect Core §3.1.3.6): the left half of the hash the signing
 * algorithm uses, base64url.
 */
function halfHash(algorithm: string, value: string): string {
  const bits = algorithm.endsWith('384') ? 384 : algorithm.endsWith('512') ? 512 : 256;
  const digest = createHash(`sha${bits}`).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function sign(store: StandInStore, keyId: string | undefined, claims: JWTPayload, gty: string[]) {
  // Keys in use cannot be deleted and references are checked on save, so a key is always found.
  const key = store.keys.get(keyId ?? '');
  if (!key) throw new Error(`no signing key ${keyId ?? ''}`);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.algorithm, typ: 'JWT', kid: key.kid, gty })
    .sign(key.signingKey);
  return { token, algorithm: key.algorithm };
}

/** What the Compatibility policy adds to an access token: the user's email and username, as before 1.50. */
function compatibilityClaims(record: UserRecord): JWTPayload {
  const { email, username, verified } = record.user;
  return {
    ...(email !== undefined && { email, email_verified: verified ?? false }),
    ...(username !== undefined && { preferred_username: username }),
  };
}

/** The claims the `email`, `profile` and `phone` scopes allow, for the id token and userinfo. */
export function scopedUserClaims(record: UserRecord, scopes: readonly string[]): JWTPayload {
  const user = record.user;
  const claims: JWTPayload = {};
  if (scopes.includes('email') && user.email !== undefined) {
    claims['email'] = user.email;
    claims['email_verified'] = user.verified ?? false;
  }
  if (scopes.includes('profile')) {
    const profile: Record<string, string | undefined> = {
      birthdate: user.birthDate,
      family_name: user.lastName,
      given_name: user.firstName,
      middle_name: user.middleName,
      name: user.fullName,
      picture: user.imageUrl,
      preferred_username: user.username,
    };
    for (const [claim, value] of Object.entries(profile)) if (value !== undefined) claims[claim] = value;
  }
  if (scopes.includes('phone') && user.mobilePhone !== undefined) {
    claims['phone_number'] = user.mobilePhone;
    claims['phone_number_verified'] = false;
  }
  return claims;
}

/**
 * Issues what a grant yields, with FusionAuth's claims (fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens): an access token signed with the
 * application's access-token key, an id token with `openid` signed with its id-token key, and, with
 * `offline_access` where the application generates them, a new refresh token. A refresh passes
 * `refreshToken` and gets none back.
 */
export async function issueTokens(
  store: StandInStore,
  grant: TokenGrant,
  refreshToken?: RefreshTokenRecord,
): Promise<TokenResponse> {
  const { record, tenant, application, scopes } = grant;
  const strict = application.oauthConfiguration?.scopeHandlingPolicy !== OAuthScopeHandlingPolicy.Compatibility;
  const newRefreshToken =
    !refreshToken && scopes.includes('offline_access') && application.oauthConfiguration?.generateRefreshTokens
      ? createApplicationRefreshToken(store, grant)
      : undefined;
  const refreshTokenId = refreshToken?.id ?? newRefreshToken?.id;

  const issuedAt = Math.floor(Date.now() / 1000);
  const configured = jwtSetting(tenant, application, 'timeToLiveInSeconds') ?? 3600;
  const lifetime = Math.min(configured, grant.maximumLifetime ?? configured);
  const scope = scopes.length > 0 ? { scope: scopes.join(' ') } : {};
  const registration = record.user.registrations?.find((candidate) => candidate.applicationId === application.id);
  const common: JWTPayload = {
    aud: application.id,
    exp: issuedAt + lifetime,
    iat: issuedAt,
    iss: tenant.issuer ?? 'acme.com',
    sub: record.user.id,
    jti: randomUUID(),
    authenticationType: grant.authenticationType,
  };
  const accessClaims: JWTPayload = {
    ...common,
    // Compatibility puts back what Strict leaves out of the access token (1.50): email and username.
    ...(!strict && compatibilityClaims(record)),
    ...(registration && { applicationId: application.id, roles: registration.roles ?? [] }),
    ...scope,
    ...(refreshTokenId !== undefined && { sid: refreshTokenId }),
    auth_time: grant.authTime,
    tid: tenant.id,
  };
  const access = await sign(store, jwtSetting(tenant, application, 'accessTokenKeyId'), accessClaims, grant.grantTypes);

  let idToken: string | undefined;
  const sid = idTokenSid === 'sso-session' ? grant.ssoSessionId : refreshTokenId;
  if (scopes.includes('openid')) {
    const idKeyId =
      jwtSetting(tenant, application, 'idTokenKeyId') ?? jwtSetting(tenant, application, 'accessTokenKeyId');
    const algorithm = store.keys.get(idKeyId ?? '')?.algorithm ?? access.algorithm;
    const idClaims: JWTPayload = {
      ...common,
      ...scopedUserClaims(record, strict ? scopes : ['email', 'profile', 'phone']),
      ...scope,
      ...(grant.nonce !== undefined && { nonce: grant.nonce }),
      at_hash: halfHash(algorithm, access.token),
      ...(grant.code !== undefined && { c_hash: halfHash(algorithm, grant.code) }),
      ...(sid !== undefined && { sid }),
      auth_time: grant.authTime,
      tid: tenant.id,
    };
    idToken = (await sign(store, idKeyId, idClaims, grant.grantTypes)).token;
  }

  return {
    access_token: access.token,
    expires_in: lifetime,
    ...(idToken !== undefined && { id_token: idToken }),
    ...(newRefreshToken && { refresh_token: newRefreshToken.token, refresh_token_id: newRefreshToken.id }),
    scope: scopes.join(' '),
    token_type: 'Bearer',
    userId: record.user.id,
  };
}

function createApplicationRefreshToken(store: StandInStore, grant: TokenGrant): RefreshTokenRecord {
  const now = Date.now();
  const minutes = jwtSetting(grant.tenant, grant.application, 'refreshTokenTimeToLiveInMinutes') ?? 43_200;
  const token: RefreshTokenRecord = {
    id: randomUUID(),
    token: randomBytes(48).toString('base64url'),
    userId: grant.record.user.id,
    applicationId: grant.application.id,
    tenantId: grant.tenant.id,
    insertInstant: now,
    startInstant: grant.authTime * 1000,
    expiresAt: now + minutes * 60_000,
    scopes: grant.scopes,
    authenticationType: grant.authenticationType,
  };
  store.saveRefreshToken(token);
  return token;
}
