import { randomUUID } from 'node:crypto';
import type { ApplicationRole } from '@fusionauth/typescript-client';
import type { FastifyInstance } from 'fastify';
import { fieldError } from '../http/api-error.js';
import { resolveTenant } from '../http/tenant.js';
import { stamped } from '../state/instants.js';
import { mergePatch } from '../state/merge-patch.js';
import type { ApplicationRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** What FusionAuth assumes for an application's settings that are not given. */
const applicationDefaults = {
  active: true,
  verifyRegistration: false,
  loginConfiguration: { requireAuthentication: true, generateRefreshTokens: false, allowTokenRefresh: false },
  jwtConfiguration: { enabled: false, timeToLiveInSeconds: 3600, refreshTokenTimeToLiveInMinutes: 43_200 },
};

/** Application API: https://fusionauth.io/docs/apis/applications */
export function applicationRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<ApplicationRecord>(app, {
    path: '/api/application',
    singular: 'application',
    plural: 'applications',
    records: store.applications,
    complete: (input, request, existing) => {
      const tenant = resolveTenant(request, store, existing?.tenantId);
      const application = mergePatch(existing ? {} : applicationDefaults, input) as ApplicationRecord;
      for (const property of ['accessTokenKeyId', 'idTokenKeyId'] as const) {
        const keyId = application.jwtConfiguration?.[property];
        if (keyId !== undefined && !store.keys.has(keyId)) {
          const field = `application.jwtConfiguration.${property}`;
          throw fieldError(field, `[invalid]${field}`, `The key Id [${keyId}] does not exist.`);
        }
      }
      if (application.verifyRegistration && !store.emailTemplates.has(application.verificationEmailTemplateId ?? '')) {
        const field = 'application.verificationEmailTemplateId';
        throw fieldError(field, `[missing]${field}`, 'Verifying registrations needs an existing email template.');
      }
      const roles: ApplicationRole[] = (application.roles ?? []).map((role) => ({
        isDefault: false,
        isSuperRole: false,
        ...role,
        id: role.id ?? randomUUID(),
      }));
      return stamped({ ...application, roles, tenantId: tenant.id }, existing);
    },
    onDelete: (application) => {
      for (const record of store.users.values()) {
        record.user.registrations = record.user.registrations?.filter((r) => r.applicationId !== application.id);
      }
      store.revokeRefreshTokens({ applicationId: application.id });
    },
  });
}
