import { randomBytes, randomUUID } from 'node:crypto';
import { announceRevocations } from '../events/webhook-events.js';
import type { RefreshTokenRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { ssoCookiePath, ssoCookieSameSite, ssoEndFiresRevokeEvent, ssoSessionSlides } from './assumptions.js';

/** FusionAuth's SSO cookie (fusionauth.io/docs/reference/cookies); its value names the session. */
export const ssoCookieName = 'fusionauth.sso';
/** Set alongside the SSO cookie when "Keep me signed in" is checked. */
export const rememberDeviceCookieName = 'fusionauth.remember-device';

/** "Trust this device" after a second factor (`fusionauth.trust`). */
export const twoFactorTrustCookieName = 'fusionauth.trust';

/** The SSO cookies' attributes: HttpOnly, host-only, Secure over https. */
export function ssoCookieOptions(secure: boolean) {
  return { path: ssoCookiePath, httpOnly: true, sameSite: ssoCookieSameSite, secure };
}

/** The tenant's SSO lifetime in milliseconds; 0 turns SSO off. */
function inactiveInterval(tenant: TenantRecord): number {
  return (tenant.httpSessionMaxInactiveInterval ?? 3600) * 1000;
}

/**
 * Starts the SSO session a hosted login with "Keep me signed in" creates: a refresh token
 * with no application id, so that the refresh-token APIs list and revoke it like any other.
 * Undefined when the tenant's interval is 0.
 */
export function startSsoSession(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  authenticationType: string,
  authTime: number,
): RefreshTokenRecord | undefined {
  const interval = inactiveInterval(tenant);
  if (interval <= 0) return undefined;
  const now = Date.now();
  const session: RefreshTokenRecord = {
    id: randomUUID(),
    token: randomBytes(48).toString('base64url'),
    userId: record.user.id,
    tenantId: tenant.id,
    insertInstant: now,
    startInstant: authTime * 1000,
    expiresAt: now + interval,
    authenticationType,
  };
  store.saveRefreshToken(session);
  return session;
}

/** What a `fusionauth.sso` cookie names, seen from one tenant. */
export type SsoLookup =
  | { kind: 'none' }
  /** Unknown, revoked or expired: the form says "You have been logged out." */
  | { kind: 'ended' }
  /** Alive, but another tenant's: of no use here, and left untouched. */
  | { kind: 'elsewhere' }
  | { kind: 'live'; session: RefreshTokenRecord };

/**
 * The SSO session a `fusionauth.sso` cookie names, for a request of this tenant. A live one is slid
 * forward by the tenant's interval; an expired one is removed.
 */
export function findSsoSession(store: StandInStore, cookie: string | undefined, tenantId: string): SsoLookup {
  if (cookie === undefined || cookie === '') return { kind: 'none' };
  const session = store.refreshTokens.get(cookie);
  if (!session || session.applicationId !== undefined) return { kind: 'ended' };
  const tenant = store.tenants.get(session.tenantId);
  const now = Date.now();
  if (!tenant || session.expiresAt <= now || inactiveInterval(tenant) <= 0) {
    store.deleteRefreshToken(session);
    return { kind: 'ended' };
  }
  if (session.tenantId !== tenantId) return { kind: 'elsewhere' };
  if (ssoSessionSlides) session.expiresAt = now + inactiveInterval(tenant);
  return { kind: 'live', session };
}

/** Ends an SSO session: its refresh token goes, and with it every silent login it would allow. */
export function endSsoSession(store: StandInStore, session: RefreshTokenRecord): void {
  store.deleteRefreshToken(session);
  if (ssoEndFiresRevokeEvent) announceRevocations(store, [session], true);
}
