import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { SentEmail } from './mailbox.js';

/** The templates sit beside `src/` and `dist/` alike, so one relative path serves both. */
const views = fileURLToPath(new URL('../../templates', import.meta.url));

/** Every `<%= %>` value is escaped: subjects, addresses and text come from templates and users. */
const eta = new Eta({ views, autoEscape: true, cache: true });

/** The mailbox page: what each email says, with its links (http and https only) to follow. */
export function renderMailboxPage(emails: readonly SentEmail[]): string {
  return eta.render('./mailbox', {
    emails: emails.map((email) => ({
      subject: email.subject,
      to: email.to,
      from: [email.from.name, email.from.address && `<${email.from.address}>`].filter(Boolean).join(' '),
      sentAt: new Date(email.sentAt).toISOString(),
      template: email.template.name,
      text: email.text,
      links: email.links,
    })),
  });
}
