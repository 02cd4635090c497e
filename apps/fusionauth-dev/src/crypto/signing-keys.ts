import { createSecretKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

const generateKeyPairAsync = promisify(generateKeyPair);

export const rsaAlgorithms = ['RS256', 'RS384', 'RS512'] as const;
export const hmacAlgorithms = ['HS256', 'HS384', 'HS512'] as const;
export type SigningAlgorithm = (typeof rsaAlgorithms)[number] | (typeof hmacAlgorithms)[number];

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (
    (rsaAlgorithms as readonly unknown[]).includes(value) || (hmacAlgorithms as readonly unknown[]).includes(value)
  );
}

/** A key of FusionAuth's Key API that signs JWTs. */
export interface SigningKey {
  id: string;
  name: string;
  algorithm: SigningAlgorithm;
  type: 'RSA' | 'HMAC';
  /** The `kid` header of the JWTs it signs and its entry in the JWKS. */
  kid: string;
  length: number;
  insertInstant: number;
  signingKey: KeyObject;
  verificationKey: KeyObject;
}

/**
 * FusionAuth's `kid` is a thumbprint (of the key's certificate), never the key's id. The stand-in
 * makes no certificates, so an RSA key's kid is the RFC 7638 thumbprint of its public JWK, and an
 * HMAC key's (never published) is random.
 */
async function kidFor(verificationKey: KeyObject | undefined): Promise<string> {
  if (!verificationKey) return randomBytes(20).toString('base64url');
  return calculateJwkThumbprint(await exportJWK(verificationKey), 'sha256');
}

export async function generateSigningKey(
  id: string,
  name: string,
  algorithm: SigningAlgorithm,
  length?: number,
): Promise<SigningKey> {
  const common = { id, name, algorithm, insertInstant: Date.now() };
  if (algorithm.startsWith('HS')) {
    const size = length ?? 256;
    const secret = createSecretKey(randomBytes(size / 8));
    return {
      ...common,
      type: 'HMAC',
      kid: await kidFor(undefined),
      length: size,
      signingKey: secret,
      verificationKey: secret,
    };
  }
  const modulusLength = length ?? 2048;
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength });
  return {
    ...common,
    type: 'RSA',
    kid: await kidFor(publicKey),
    length: modulusLength,
    signingKey: privateKey,
    verificationKey: publicKey,
  };
}

/** The Key API's view of a key: never the private half. */
export function describeKey(key: SigningKey): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: key.id,
    name: key.name,
    algorithm: key.algorithm,
    type: key.type,
    kid: key.kid,
    length: key.length,
    insertInstant: key.insertInstant,
    hasPrivateKey: key.type === 'RSA',
  };
  if (key.type === 'RSA') view['publicKey'] = key.verificationKey.export({ type: 'spki', format: 'pem' });
  return view;
}

/** A JWKS lists only asymmetric keys, as FusionAuth's /.well-known/jwks.json does. */
export async function publicJwks(keys: Iterable<SigningKey>): Promise<{ keys: JWK[] }> {
  const jwks: JWK[] = [];
  for (const key of keys) {
    if (key.type !== 'RSA') continue;
    jwks.push({ ...(await exportJWK(key.verificationKey)), alg: key.algorithm, kid: key.kid, use: 'sig' });
  }
  return { keys: jwks };
}
