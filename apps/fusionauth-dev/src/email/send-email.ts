import type { User } from '@fusionauth/typescript-client';
import { baseUrlFallsBackToIssuer, developmentBaseUrl } from '../oauth/assumptions.js';
import type { ApplicationRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { publicUser } from '../users/accounts.js';
import { renderTemplate, TemplateError } from './freemarker.js';
import type { SentEmail } from './mailbox.js';

/** The tenant's email templates the stand-in sends, by the `emailConfiguration` setting naming each. */
export const tenantTemplates = {
  forgotPassword: 'forgotPasswordEmailTemplateId',
  setPassword: 'setPasswordEmailTemplateId',
  verification: 'verificationEmailTemplateId',
} as const;

export type TenantTemplate = keyof typeof tenantTemplates;

/** The tenant's template for this email, if it names one. */
export function tenantTemplateId(tenant: TenantRecord, template: TenantTemplate): string | undefined {
  return tenant.emailConfiguration?.[tenantTemplates[template]];
}

/**
 * Where FusionAuth sends a user's email: `email`, or `data.email` for a user who signs in with a
 * username (https://fusionauth.io/docs/apis/users/forgot-password).
 */
export function deliveryAddress(user: User): string | undefined {
  const fromData: unknown = user.data?.['email'];
  return user.email ?? (typeof fromData === 'string' && fromData !== '' ? fromData : undefined);
}

/**
 * `baseUrl`, the address FusionAuth's own pages are at for an email's links (since 1.68.0): the
 * application's `baseURL`, then the tenant's, then a fallback
 * (https://fusionauth.io/docs/customize/email-and-messages/email-templates-replacement-variables).
 */
export function emailBaseUrl(tenant: TenantRecord, application: ApplicationRecord | undefined): string {
  const issuer = tenant.issuer;
  const issuerIsUrl = issuer !== undefined && /^https?:\/\//.test(issuer) && URL.canParse(issuer);
  const fallback = baseUrlFallsBackToIssuer && issuerIsUrl ? issuer : developmentBaseUrl;
  return application?.baseURL ?? tenant.baseURL ?? fallback;
}

export interface TemplatedEmail {
  tenant: TenantRecord;
  template: TenantTemplate;
  record: UserRecord;
  /** The application the request named: templates reach it as `application` (its `data.origin`, say). */
  application: ApplicationRecord | undefined;
  /** The template's own values: `changePasswordId`, `verificationId`, `state`. */
  variables: Record<string, unknown>;
}

/**
 * "Sends" one of the tenant's emails as FusionAuth does: its template's default subject, HTML and
 * text rendered with the user, the tenant, the application, `baseUrl` and the template's values, from the
 * template's or the tenant's sender, to the user's address. The email goes to the development
 * mailbox. A template that cannot be rendered sends nothing and is logged, as FusionAuth writes it
 * to its event log without failing the API call. Localized and application-specific templates (a
 * paid feature) are not used.
 */
export function sendTemplatedEmail(store: StandInStore, email: TemplatedEmail): SentEmail | undefined {
  const templateId = tenantTemplateId(email.tenant, email.template);
  const template = templateId === undefined ? undefined : store.emailTemplates.get(templateId);
  const to = deliveryAddress(email.record.user);
  if (!template || to === undefined) return undefined;
  const model: Record<string, unknown> = {
    ...email.variables,
    baseUrl: emailBaseUrl(email.tenant, email.application),
    user: publicUser(email.record),
    tenant: email.tenant,
    ...(email.application && { application: email.application }),
  };
  try {
    return store.mailbox.deliver({
      to,
      from: {
        address: template.fromEmail ?? email.tenant.emailConfiguration?.defaultFromEmail,
        name: template.defaultFromName ?? email.tenant.emailConfiguration?.defaultFromName,
      },
      subject: renderTemplate(template.defaultSubject ?? '', model),
      html: renderTemplate(template.defaultHtmlTemplate ?? '', model),
      text: renderTemplate(template.defaultTextTemplate ?? '', model),
      template: { id: template.id, name: template.name },
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    store.warn(
      { templateId: template.id, reason: error.message },
      'email template could not be rendered; no email sent',
    );
    return undefined;
  }
}
