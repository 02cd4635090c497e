import { randomUUID } from 'node:crypto';
import type { User } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import type { ContractTarget } from './target.js';

export interface TemporaryUser {
  id: string;
  email: string;
  password: string;
}

/**
 * A user made for one test (registered for the Store unless told otherwise) and hard-deleted after
 * it, so the contract suite leaves a real FusionAuth as it found it and never wears down the demo
 * users (their failed-login counters, say).
 */
export async function temporaryUser(
  t: Test,
  target: ContractTarget,
  options: { user?: Partial<User>; applicationId?: string | null } = {},
): Promise<TemporaryUser> {
  const id = randomUUID();
  const email = `contract-${id}@example.com`;
  const password = `pw-${randomUUID()}`;
  const user: User = { email, password, firstName: 'Contract', lastName: 'Test', ...options.user };
  const applicationId = options.applicationId === undefined ? target.storeApplicationId : options.applicationId;
  if (applicationId === null) {
    await target.client.createUser(id, { user, skipVerification: true });
  } else {
    await target.client.register(id, {
      user,
      registration: { applicationId },
      skipVerification: true,
      skipRegistrationVerification: true,
    });
  }
  t.teardown(async () => {
    await target.client.deleteUser(id).catch(() => undefined);
  });
  return { id, email, password };
}
