import type { AppPrefix } from '../config/environment.js';

export interface CookieSettings {
  name: string;
  secure: boolean;
}

/**
 * The session cookie of one app: its own name, HttpOnly, `SameSite=Lax`, `Path=/`, no `Domain`.
 * Served over https it is `Secure` and carries the `__Host-` prefix, which browsers accept only
 * from a secure origin, for path `/`, without `Domain`. Over plain http (development) both are off,
 * because the origin says so, not by accident.
 */
export function cookieSettings(prefix: AppPrefix, origin: string): CookieSettings {
  const secure = new URL(origin).protocol === 'https:';
  const name = `${prefix.toLowerCase()}_session`;
  return { name: secure ? `__Host-${name}` : name, secure };
}

export function cookieOptions(settings: CookieSettings) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: settings.secure };
}
