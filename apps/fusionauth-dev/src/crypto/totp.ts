import { TOTPAlgorithm } from '@fusionauth/typescript-client';
import { Secret, TOTP } from 'otpauth';

/** The authenticator settings FusionAuth uses and reports in a 242 response's `methods`. */
export const authenticatorConfiguration = { algorithm: TOTPAlgorithm.HmacSHA1, codeLength: 6, timeStep: 30 } as const;

/**
 * RFC 6238 check of a code against a user's authenticator secret (raw bytes, base64 as FusionAuth
 * stores it), allowing one time step of clock drift either way.
 */
export function verifyTotp(secretBase64: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const totp = new TOTP({
    secret: new Secret({ buffer: Uint8Array.from(Buffer.from(secretBase64, 'base64')).buffer }),
    algorithm: 'SHA1',
    digits: authenticatorConfiguration.codeLength,
    period: authenticatorConfiguration.timeStep,
  });
  return totp.validate({ token: code, window: 1 }) !== null;
}
