import type { FastifyInstance } from 'fastify';
import { parseTemplate, TemplateError } from '../email/freemarker.js';
import { FieldErrors } from '../http/api-error.js';
import { stamped } from '../state/instants.js';
import type { EmailTemplateRecord } from '../state/records.js';
import { emailTemplateSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** The template fields FusionAuth renders; each must stay within the FreeMarker the stand-in renders. */
const renderedFields = ['defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate'] as const;

/**
 * A template FreeMarker could not parse is refused by FusionAuth; here, also one outside the
 * subset the stand-in renders (see ../email/freemarker.ts), so a kickstart template that would
 * render differently fails at start-up rather than in an email.
 */
function checkTemplates(template: EmailTemplateRecord): void {
  const errors = new FieldErrors();
  for (const field of renderedFields) {
    const source = template[field];
    if (source === undefined) continue;
    try {
      parseTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors.add(`emailTemplate.${field}`, '[invalidTemplate]', error.message);
    }
  }
  errors.throwIfAny();
}

/**
 * Email Template API: the tenant's emails (verification, forgot password, set password) are
 * rendered from these and kept in the development mailbox. https://fusionauth.io/docs/apis/emails
 */
export function emailTemplateRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<EmailTemplateRecord>(app, {
    path: '/api/email/template',
    singular: 'emailTemplate',
    plural: 'emailTemplates',
    records: store.emailTemplates,
    schema: emailTemplateSettings,
    complete: (input, _request, existing) => {
      checkTemplates(input as EmailTemplateRecord);
      return stamped(input as EmailTemplateRecord, existing);
    },
  });
}
