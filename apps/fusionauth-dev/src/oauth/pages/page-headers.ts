/**
 * The hosted pages may not be framed (clickjacking), and their URLs carry `state`, `twoFactorId` and
 * `changePasswordId`, which no Referer may take elsewhere.
 */
export const pageHeaders = {
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};
