import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** FusionAuth's default scheme: PBKDF2 with HMAC-SHA256, a 32-byte salt and a 32-byte key. */
export const passwordScheme = 'salted-pbkdf2-hmac-sha256';
/** FusionAuth's default cost for that scheme (`encryptionSchemeFactor`). */
export const defaultPasswordIterations = 24_000;

export interface PasswordHash {
  encryptionScheme: typeof passwordScheme;
  factor: number;
  salt: string;
  hash: string;
}

async function derive(password: string, salt: Buffer, factor: number): Promise<Buffer> {
  // pbkdf2 runs on libuv's thread pool, so hashing never blocks other requests.
  return pbkdf2Async(password, salt, factor, 32, 'sha256');
}

export async function hashPassword(password: string, factor: number): Promise<PasswordHash> {
  const salt = randomBytes(32);
  const hash = await derive(password, salt, factor);
  return { encryptionScheme: passwordScheme, factor, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored.factor);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
