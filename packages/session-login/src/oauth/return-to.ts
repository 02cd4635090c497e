import type { OAuthLoginErrorCode } from '../schemas/oauth-login-errors.js';

/**
 * Backslashes, which browsers read as slashes, and control characters, which URL parsers drop
 * (`/<tab>/evil.example` parses as `//evil.example`).
 */
function hasUnsafeCharacter(text: string): boolean {
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN and undefined, which match nothing.
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f || text[index] === '\\') return true;
  }
  return false;
}

/**
 * Where a sign-in may return to: a path of this app's SPA, as pathname, search and hash, or `/`.
 * The value is parsed against the app's origin and must stay on it; a protocol-relative `//host`,
 * `/\host`, a scheme (`https:`, `javascript:`), a backslash or a control character fall back to
 * `/`, and so does the API (a sign-in lands on a page, never on an endpoint). So the redirect after
 * the callback can never leave the app (an open redirect), whatever a link put in `returnTo`.
 */
export function localReturnPath(candidate: string | undefined, origin: string): string {
  if (candidate === undefined || !candidate.startsWith('/') || hasUnsafeCharacter(candidate)) return '/';
  let url: URL;
  let decodedPath: string;
  try {
    url = new URL(candidate, origin);
    // The router decodes the path (`/%61pi/` is `/api/`), so the check must too.
    decodedPath = decodeURIComponent(url.pathname);
  } catch {
    return '/';
  }
  // `//evil.example` parses as another host; and what is returned is checked, not only what came:
  // dot segments collapse (`/.//evil.example` and `/a/..//evil.example` become `//evil.example`),
  // which a browser following the path would take for a host. The API is refused however encoded.
  if (url.origin !== new URL(origin).origin || decodedPath.startsWith('//') || hasUnsafeCharacter(decodedPath)) {
    return '/';
  }
  if (decodedPath === '/api' || decodedPath.startsWith('/api/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The return path with `login_error=<code>` added to its query, for the SPA to explain. */
export function withLoginError(returnTo: string, code: OAuthLoginErrorCode): string {
  const url = new URL(returnTo, 'http://app.invalid');
  url.searchParams.set('login_error', code);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Never a protocol-relative `//host`, whatever it was given.
  return path.startsWith('//') ? `/${url.search}` : path;
}
