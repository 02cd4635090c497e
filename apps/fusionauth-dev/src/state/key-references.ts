import type { JWTConfiguration } from '@fusionauth/typescript-client';
import type { FieldErrors } from '../http/api-error.js';
import type { StandInStore } from './store.js';

const keyReferences = ['accessTokenKeyId', 'idTokenKeyId'] as const;

/** An unknown signing key named by a tenant's or application's `jwtConfiguration` is refused on save. */
export function checkSigningKeys(
  store: StandInStore,
  jwtConfiguration: JWTConfiguration | undefined,
  prefix: string,
  errors: FieldErrors,
): void {
  for (const property of keyReferences) {
    const keyId = jwtConfiguration?.[property];
    if (keyId !== undefined && !store.keys.has(keyId)) {
      errors.add(`${prefix}.jwtConfiguration.${property}`, '[invalid]', `The key Id [${keyId}] does not exist.`);
    }
  }
}

/** Whether a tenant or application signs with this key, so that it cannot be deleted. */
export function signingKeyInUse(store: StandInStore, keyId: string): boolean {
  return [...store.tenants.values(), ...store.applications.values()].some((owner) =>
    keyReferences.some((property) => owner.jwtConfiguration?.[property] === keyId),
  );
}
