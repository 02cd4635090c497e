import type { FastifyInstance } from 'fastify';
import { renderMailboxPage } from '../email/mailbox-page.js';
import type { StandInStore } from '../state/store.js';

/**
 * The development mailbox, the stand-in's own and not FusionAuth's (a real FusionAuth sends the
 * tenant's emails over SMTP, to Mailpit in docker/docker-compose.yml): the emails it would have
 * sent, as a page for people (`GET /dev/mailbox`) and as JSON for tests (`GET /dev/mailbox.json`),
 * emptied by `DELETE /dev/mailbox`. A development tool, so no API key, like the stand-in itself.
 * The page's links carry change-password and verification ids: no Referer may take them along.
 */
export function devMailboxRoutes(app: FastifyInstance, store: StandInStore): void {
  const open = { config: { apiKey: 'none' as const } };

  app.get('/dev/mailbox', open, async (_request, reply) =>
    reply
      .headers({
        'cache-control': 'no-store',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      })
      .type('text/html; charset=utf-8')
      .send(renderMailboxPage(store.mailbox.list())),
  );

  app.get('/dev/mailbox.json', open, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ emails: store.mailbox.list() }),
  );

  app.delete('/dev/mailbox', open, async (_request, reply) => {
    store.mailbox.clear();
    return reply.code(204).send();
  });
}
