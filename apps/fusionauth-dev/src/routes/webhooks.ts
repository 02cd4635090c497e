import type { FastifyInstance } from 'fastify';
import { FieldErrors } from '../http/api-error.js';
import { stamped } from '../state/instants.js';
import type { WebhookRecord } from '../state/records.js';
import { webhookSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** Webhook API: https://fusionauth.io/docs/apis/webhooks */
export function webhookRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<WebhookRecord>(app, {
    path: '/api/webhook',
    singular: 'webhook',
    plural: 'webhooks',
    records: store.webhooks,
    schema: webhookSettings,
    named: false,
    complete: (input, _request, existing) => {
      const webhook = { global: true, ...input } as WebhookRecord;
      webhook.name = webhook.description ?? webhook.url;
      const errors = new FieldErrors().requireAll({ 'webhook.url': webhook.url });
      const keyId = webhook.signatureConfiguration?.signingKeyId;
      if (webhook.signatureConfiguration?.enabled && !store.keys.has(keyId ?? '')) {
        errors.add('webhook.signatureConfiguration.signingKeyId', '[invalid]', 'Signing needs an existing key.');
      }
      errors.throwIfAny();
      return stamped(webhook, existing);
    },
  });
}
