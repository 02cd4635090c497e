import { randomBytes, randomUUID } from 'node:crypto';
import { fusionAuthApplicationId } from '@native-login/kickstart';
import type { ApplicationRole, OAuth2Configuration } from '@fusionauth/typescript-client';
import type { FastifyInstance } from 'fastify';
import { FieldErrors, generalError } from '../http/api-error.js';
import { resolveTenant } from '../http/tenant.js';
import { generatedClientSecretBytes } from '../oauth/assumptions.js';
import { defaultOAuthConfiguration } from '../state/defaults.js';
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
    oauthConfiguration: defaultOAuthConfiguration(),
  };
}

/**
 * The OAuth client's credentials, which FusionAuth fills in itself: the client id is the application
 * id (read-only), and a blank secret is generated on create and kept as it was on update
 * (https://fusionauth.io/docs/apis/applications, `oauthConfiguration.clientSecret`).
 */
function withClientCredentials(
  application: ApplicationRecord,
  existing: ApplicationRecord | undefined,
): OAuth2Configuration {
  // `null` removes the whole block in a merge; FusionAuth then starts again from its defaults.
  const oauth = application.oauthConfiguration ?? defaultOAuthConfiguration();
  const clientSecret =
    oauth.clientSecret?.trim() ||
    existing?.oauthConfiguration?.clientSecret ||
    randomBytes(generatedClientSecretBytes).toString('base64url');
  return { ...oauth, clientId: application.id, clientSecret };
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
      const oauthConfiguration = withClientCredentials(application, existing);
      return stamped({ ...application, oauthConfiguration, roles, tenantId: tenant.id }, existing);
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
