import type { AppPrefix } from '../config/environment.js';

export interface CookieSettings {
  name: string;
  secure: boolean;
}

/**
 * A cookie of one app, named `<app>_<purpose>`: its own name, HttpOnly, `SameSite=Lax`, `Path=/`,
 * no `Domain`. Served over https it is `Secure` and carries the `__Host-` prefix, which browsers
 * accept only from a secure origin, for path `/`, without `Domain`. Over plain http (development)
 * both are off, because the origin says so, not by accident.
 */
function appCookie(prefix: AppPrefix, purpose: string, origin: string): CookieSettings {
  const secure = new URL(origin).protocol === 'https:';
  const name = `${prefix.toLowerCase()}_${purpose}`;
  return { name: secure ? `__Host-${name}` : name, secure };
}

/** The session cookie: `store_session`, `forum_session`. */
export function cookieSettings(prefix: AppPrefix, origin: string): CookieSettings {
  return appCookie(prefix, 'session', origin);
}

/**
 * The cookie that ties a sign-in at FusionAuth to the browser that started it (`store_oauth`,
 * `forum_oauth`). `SameSite=Lax` is what lets it come back: FusionAuth's redirect to the callback
 * is a cross-site, top-level GET, which Lax cookies go with and Strict ones do not.
 */
export function preLoginCookieSettings(prefix: AppPrefix, origin: string): CookieSettings {
  return appCookie(prefix, 'oauth', origin);
}

export function cookieOptions(settings: CookieSettings) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: settings.secure };
}
