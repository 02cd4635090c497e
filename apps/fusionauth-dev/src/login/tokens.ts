import { randomBytes, randomUUID } from 'node:crypto';
import type { UserRegistration } from '@fusionauth/typescript-client';
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { ApplicationRecord, RefreshTokenRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

type JwtSetting = 'accessTokenKeyId' | 'idTokenKeyId' | 'timeToLiveInSeconds' | 'refreshTokenTimeToLiveInMinutes';

/**
 * One JWT setting: the application's when it has its own (`jwtConfiguration.enabled`) and sets
 * this one, else the tenant's.
 */
export function jwtSetting<Setting extends JwtSetting>(
  tenant: TenantRecord,
  application: ApplicationRecord | undefined,
  setting: Setting,
): NonNullable<TenantRecord['jwtConfiguration']>[Setting] {
  const own = application?.jwtConfiguration?.enabled ? application.jwtConfiguration[setting] : undefined;
  return own ?? tenant.jwtConfiguration?.[setting];
}

export interface AccessTokenRequest {
  record: UserRecord;
  tenant: TenantRecord;
  application: ApplicationRecord | undefined;
  /** Present only when the user is registered for the application: it adds `applicationId` and `roles`. */
  registration: UserRegistration | undefined;
  /** `PASSWORD`, `REFRESH_TOKEN`, `ONE_TIME_PASSWORD`, `REGISTRATION`: how the user came to hold the token. */
  authenticationType: string;
  /** When the user authenticated, in Unix seconds (`auth_time`). */
  authTime: number;
  refreshTokenId?: string | undefined;
}

/**
 * Signs an access token with the claims FusionAuth's Login API puts in one:
 * https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens#access-token-claims
 */
export async function issueAccessToken(
  store: StandInStore,
  request: AccessTokenRequest,
): Promise<{ token: string; tokenExpirationInstant: number }> {
  const { record, tenant, application, registration } = request;
  // Keys in use cannot be deleted and references are checked on save, so a key is always found.
  const keyId = jwtSetting(tenant, application, 'accessTokenKeyId') ?? '';
  const key = store.keys.get(keyId);
  if (!key) throw new Error(`no signing key ${keyId} for tenant ${tenant.id}`);
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + (jwtSetting(tenant, application, 'timeToLiveInSeconds') ?? 3600);
  const user = record.user;
  const claims: JWTPayload = {
    ...(application && { aud: application.id }),
    exp: expiresAt,
    iat: issuedAt,
    iss: tenant.issuer ?? 'acme.com',
    sub: user.id,
    jti: randomUUID(),
    authenticationType: request.authenticationType,
    ...(user.email !== undefined && { email: user.email, email_verified: user.verified ?? false }),
    ...(user.username !== undefined && { preferred_username: user.username }),
    ...(application && registration && { applicationId: application.id, roles: registration.roles ?? [] }),
    ...(request.refreshTokenId !== undefined && { sid: request.refreshTokenId }),
    auth_time: request.authTime,
    tid: tenant.id,
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.algorithm, typ: 'JWT', kid: key.kid })
    .sign(key.signingKey);
  return { token, tokenExpirationInstant: expiresAt * 1000 };
}

export function createRefreshToken(
  store: StandInStore,
  record: UserRecord,
  tenant: TenantRecord,
  application: ApplicationRecord,
  metaData: Record<string, unknown> | undefined,
): RefreshTokenRecord {
  const now = Date.now();
  const minutes = jwtSetting(tenant, application, 'refreshTokenTimeToLiveInMinutes') ?? 43_200;
  const refreshToken: RefreshTokenRecord = {
    id: randomUUID(),
    token: randomBytes(48).toString('base64url'),
    userId: record.user.id,
    applicationId: application.id,
    tenantId: tenant.id,
    insertInstant: now,
    startInstant: now,
    expiresAt: now + minutes * 60_000,
    ...(metaData !== undefined && { metaData }),
  };
  store.saveRefreshToken(refreshToken);
  return refreshToken;
}

/** A live refresh token by value, or undefined when unknown, revoked or expired. */
export function liveRefreshToken(store: StandInStore, token: string): RefreshTokenRecord | undefined {
  const record = store.refreshTokens.get(token);
  if (!record) return undefined;
  if (record.expiresAt <= Date.now()) {
    store.deleteRefreshToken(record);
    return undefined;
  }
  return record;
}

/** Verifies a JWT this instance signed (signature by `kid`, expiry); undefined when it does not hold. */
export async function verifyAccessToken(store: StandInStore, token: string): Promise<JWTPayload | undefined> {
  try {
    const { kid } = decodeProtectedHeader(token);
    const key = [...store.keys.values()].find((candidate) => candidate.kid === kid);
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key.verificationKey, { algorithms: [key.algorithm] });
    return payload;
  } catch {
    return undefined;
  }
}
