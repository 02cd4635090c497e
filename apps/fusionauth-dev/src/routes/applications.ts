import { randomUUID } from 'node:crypto';
import { fusionAuthApplicationId } from '@native-login/kickstart';
import type { ApplicationRole } from '@fusionauth/typescript-client';
import type { FastifyInstance } from 'fastify';
import { FieldErrors, generalError } from '../http/api-error.js';
import { resolveTenant } from '../http/tenant.js';
import { stamped } from '../state/instants.js';
import { checkSigningKeys } from '../state/key-references.js';
import { mergePatch } from '../state/merge-patch.js';
import type { ApplicationRecord } from '../state/records.js';
import { applicationSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** What FusionAuth assumes for an application's settings that are not given. */
function applicationDefaults(): Record<string, unknown> {
  return {
    active: true,
    verifyRegistration: false,
    loginConfiguration: { requireAuthentication: true, generateRefreshTokens: false, allowTokenRefresh: false },
    jwtConfiguration: { enabled: false, timeToLiveInSeconds: 3600, refreshTokenTimeToLiveInMinutes: 43_200 },
  };
}

function checkSettings(store: StandInStore, application: ApplicationRecord): void {
  const errors = new FieldErrors();
  checkSigningKeys(store, application.jwtConfiguration, 'application', errors);
  if (application.verifyRegistration && !store.emailTemplates.has(application.verificationEmailTemplateId ?? '')) {
    errors.add(
      'application.verificationEmailTemplateId',
      '[missing]',
      'Verifying registrations needs an email template.',
    );
  }
  errors.throwIfAny();
}

/** Application API: https://fusionauth.io/docs/apis/applications */
export function applicationRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<ApplicationRecord>(app, {
    path: '/api/application',
    singular: 'application',
    plural: 'applications',
    records: store.applications,
    schema: applicationSettings,
    softDelete: true,
    complete: (input, request, existing) => {
      // An application stays in the tenant it was created in.
      const tenant = resolveTenant(request, store, existing?.tenantId);
      if (existing && tenant.id !== existing.tenantId)
        throw generalError('[TenantIdMismatch]', 'The application belongs to another tenant.');
      const application = mergePatch(applicationDefaults(), input) as unknown as ApplicationRecord;
      checkSettings(store, application);
      const roles: ApplicationRole[] = (application.roles ?? []).map((role) => ({
        isDefault: false,
        isSuperRole: false,
        ...role,
        id: role.id ?? randomUUID(),
      }));
      return stamped({ ...application, roles, tenantId: tenant.id }, existing);
    },
    beforeDelete: (application) => {
      if (application.id === fusionAuthApplicationId) {
        throw generalError('[cannotDelete]', "FusionAuth's own application cannot be deleted.");
      }
    },
    onDelete: (application) => {
      for (const record of store.users.values()) {
        record.user.registrations = record.user.registrations?.filter((r) => r.applicationId !== application.id);
      }
      store.revokeRefreshTokens({ applicationId: application.id });
    },
  });
}
