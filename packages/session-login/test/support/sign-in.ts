import { Secret, TOTP } from 'otpauth';

/** The authenticator app of the seeded mfa@example.com: `mfaTotp.generate()` is its current code. */
export const mfaTotp = new TOTP({
  secret: Secret.fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
});

/** The one answer to an unknown user, a wrong password, and a locked, expired or actioned account. */
export const invalidCredentials = {
  code: 'invalid_credentials',
  message: 'That email address and password do not match an account.',
};
