import { Secret, TOTP } from 'otpauth';

/** The demo users of docker/fusionauth/kickstart.json, all with this password. */
export const demoPassword = 'password123';

export const demoUsers = {
  shopper: 'shopper@example.com',
  storeOnly: 'storeonly@example.com',
  mfa: 'mfa@example.com',
  changeMe: 'changeme@example.com',
  unverified: 'unverified@example.com',
  locked: 'locked@example.com',
} as const;

/** The mfa user's authenticator secret as an authenticator app takes it (the kickstart has it in base64). */
export const mfaSecretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function totp(secretBase32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The code an authenticator app shows now. */
export function currentCode(secretBase32: string = mfaSecretBase32): string {
  return totp(secretBase32).generate();
}

/** A six-digit code that no clock drift allowance could accept now. */
export function wrongCode(secretBase32: string = mfaSecretBase32): string {
  const generator = totp(secretBase32);
  const now = Date.now();
  const near = new Set([-2, -1, 0, 1, 2].map((step) => generator.generate({ timestamp: now + step * 30_000 })));
  let candidate = 0;
  while (near.has(String(candidate).padStart(6, '0'))) candidate += 1;
  return String(candidate).padStart(6, '0');
}
