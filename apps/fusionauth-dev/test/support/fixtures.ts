import { randomUUID } from 'node:crypto';
import type { FusionAuthClient, Tenant, User } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import { temporaryTenant, type TemporaryTenant } from './oauth-fixtures.js';
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

/** Hard-deletes a user after the test, for users a test creates through the API under test. */
export function deleteUserAfter(t: Test, client: FusionAuthClient, userId: string | undefined): void {
  if (userId === undefined) return;
  t.teardown(async () => {
    await client.deleteUser(userId).catch(() => undefined);
  });
}

export interface TenantWithApplication extends TemporaryTenant {
  applicationId: string;
}

/**
 * A tenant of the test's own with the given settings (password rules, lifetimes, email
 * settings) and an application in it, both deleted after the test with the users in them.
 */
export async function tenantWithApplication(
  t: Test,
  target: ContractTarget,
  tenant: Partial<Tenant> = {},
): Promise<TenantWithApplication> {
  const created = await temporaryTenant(t, target, tenant);
  const applicationId = randomUUID();
  t.teardown(async () => {
    await created.client.deleteApplication(applicationId).catch(() => undefined);
  });
  await created.client.createApplication(applicationId, {
    application: { name: `contract ${applicationId}`, loginConfiguration: { requireAuthentication: true } },
  });
  return { ...created, applicationId };
}
