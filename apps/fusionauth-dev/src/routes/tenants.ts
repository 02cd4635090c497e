import type { FastifyInstance } from 'fastify';
import { FieldErrors, generalError } from '../http/api-error.js';
import { defaultTenantSettings } from '../state/defaults.js';
import { stamped } from '../state/instants.js';
import { checkSigningKeys } from '../state/key-references.js';
import { mergePatch } from '../state/merge-patch.js';
import type { TenantRecord } from '../state/records.js';
import { tenantSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/**
 * The settings FusionAuth refuses a tenant for, so that a kickstart real FusionAuth would reject
 * fails on the stand-in too.
 */
function checkSettings(store: StandInStore, tenant: TenantRecord): void {
  const errors = new FieldErrors();
  errors.requireAll({ 'tenant.jwtConfiguration.accessTokenKeyId': tenant.jwtConfiguration?.accessTokenKeyId });
  checkSigningKeys(store, tenant.jwtConfiguration, 'tenant', errors);
  const email = tenant.emailConfiguration;
  if (email?.verifyEmail && !store.emailTemplates.has(email.verificationEmailTemplateId ?? '')) {
    errors.add(
      'tenant.emailConfiguration.verificationEmailTemplateId',
      '[missing]',
      'Verifying emails needs an existing verification email template.',
    );
  }
  for (const property of ['forgotPasswordEmailTemplateId', 'setPasswordEmailTemplateId'] as const) {
    const templateId = email?.[property];
    if (templateId !== undefined && !store.emailTemplates.has(templateId)) {
      errors.add(
        `tenant.emailConfiguration.${property}`,
        '[invalid]',
        `The email template Id [${templateId}] does not exist.`,
      );
    }
  }
  // Breached-password detection is an Enterprise feature (FusionAuth Reactor): the Community
  // edition, which the stand-in is, refuses to enable it.
  if (tenant.passwordValidationRules?.breachDetection?.enabled) {
    errors.add(
      'tenant.passwordValidationRules.breachDetection.enabled',
      '[notLicensed]',
      'Breached password detection requires a licensed FusionAuth edition.',
    );
  }
  const lockout = tenant.failedAuthenticationConfiguration;
  if (lockout?.userActionId !== undefined) {
    const field = 'tenant.failedAuthenticationConfiguration';
    if (store.userActions.get(lockout.userActionId)?.preventLogin !== true) {
      errors.add(
        `${field}.userActionId`,
        '[invalid]',
        'The failed-authentication action must exist and prevent login.',
      );
    }
    // FusionAuth requires the unit with the action (the schema checks its value).
    errors.requireAll({ [`${field}.actionDurationUnit`]: lockout.actionDurationUnit });
  }
  errors.throwIfAny();
}

/** Tenant API: https://fusionauth.io/docs/apis/tenants */
export function tenantRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<TenantRecord>(app, {
    path: '/api/tenant',
    singular: 'tenant',
    plural: 'tenants',
    records: store.tenants,
    schema: tenantSettings,
    complete: (input, _request, existing) => {
      // What a request leaves out takes FusionAuth's default (a PATCH arrives already merged).
      const signingKeyId = store.tenants.get(store.defaultTenantId)?.jwtConfiguration?.accessTokenKeyId ?? '';
      const tenant = mergePatch(defaultTenantSettings(signingKeyId) as Record<string, unknown>, input);
      checkSettings(store, tenant as unknown as TenantRecord);
      return stamped(tenant as unknown as TenantRecord, existing);
    },
    beforeDelete: (tenant) => {
      if (tenant.id === store.defaultTenantId)
        throw generalError('[cannotDelete]', 'The default tenant cannot be deleted.');
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
