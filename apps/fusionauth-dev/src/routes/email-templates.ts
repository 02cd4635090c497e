import type { FastifyInstance } from 'fastify';
import { stamped } from '../state/instants.js';
import type { EmailTemplateRecord } from '../state/records.js';
import { emailTemplateSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/**
 * Email Template API, kept so that a kickstart can give a tenant the verification template real
 * FusionAuth requires; the stand-in sends no email. https://fusionauth.io/docs/apis/emails
 */
export function emailTemplateRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<EmailTemplateRecord>(app, {
    path: '/api/email/template',
    singular: 'emailTemplate',
    plural: 'emailTemplates',
    records: store.emailTemplates,
    schema: emailTemplateSettings,
    complete: (input, _request, existing) => stamped(input as EmailTemplateRecord, existing),
  });
}
