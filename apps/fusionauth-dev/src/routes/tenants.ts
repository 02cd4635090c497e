import type { FastifyInstance } from 'fastify';
import { fieldError } from '../http/api-error.js';
import { stamped } from '../state/instants.js';
import { defaultTenantSettings } from '../state/defaults.js';
import { mergePatch } from '../state/merge-patch.js';
import type { TenantRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/**
 * The references FusionAuth refuses a tenant for, so that a kickstart real FusionAuth would reject
 * fails on the stand-in too.
 */
function checkReferences(store: StandInStore, tenant: TenantRecord): void {
  const email = tenant.emailConfiguration;
  if (email?.verifyEmail && !store.emailTemplates.has(email.verificationEmailTemplateId ?? '')) {
    const field = 'tenant.emailConfiguration.verificationEmailTemplateId';
    throw fieldError(field, `[missing]${field}`, 'Verifying emails needs an existing verification email template.');
  }
  const userActionId = tenant.failedAuthenticationConfiguration?.userActionId;
  if (userActionId !== undefined && store.userActions.get(userActionId)?.preventLogin !== true) {
    const field = 'tenant.failedAuthenticationConfiguration.userActionId';
    throw fieldError(field, `[invalid]${field}`, 'The failed-authentication action must exist and prevent login.');
  }
}

/** Tenant API: https://fusionauth.io/docs/apis/tenants */
export function tenantRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<TenantRecord>(app, {
    path: '/api/tenant',
    singular: 'tenant',
    plural: 'tenants',
    records: store.tenants,
    complete: (input, _request, existing) => {
      const signingKeyId = store.tenants.get(store.defaultTenantId)?.jwtConfiguration?.accessTokenKeyId ?? '';
      const base = existing ? {} : (defaultTenantSettings(signingKeyId) as Record<string, unknown>);
      const tenant = mergePatch(base, input) as unknown as TenantRecord;
      checkReferences(store, tenant);
      return stamped(tenant, existing);
    },
    onDelete: (tenant) => {
      for (const application of [...store.applications.values()]) {
        if (application.tenantId === tenant.id) store.applications.delete(application.id);
      }
      for (const user of [...store.users.values()]) {
        if (user.user.tenantId === tenant.id) store.deleteUser(user);
      }
    },
  });
}
