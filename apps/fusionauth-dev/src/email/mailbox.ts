import { randomUUID } from 'node:crypto';

/** An email the stand-in would have sent, as the development mailbox shows it. */
export interface SentEmail {
  id: string;
  to: string;
  from: { address: string | undefined; name: string | undefined };
  subject: string;
  text: string;
  html: string;
  /** The http(s) links in the email, in the order they first appear (the HTML's, then the text's). */
  links: string[];
  /** When it was "sent", in milliseconds since the epoch, like FusionAuth's instants. */
  sentAt: number;
  /** The email template it was rendered from. */
  template: { id: string; name: string };
}

/** Enough for a development session; the oldest go first. */
const capacity = 200;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

/** `href` values are HTML: `&amp;` in a link is `&`. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_match, name: string) => entities[name] ?? '');
}

function isHttpUrl(candidate: string): boolean {
  if (!URL.canParse(candidate)) return false;
  const { protocol } = new URL(candidate);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * The links a reader could follow: the HTML part's `href`s and the URLs written out in the text
 * part. Only http(s), so the mailbox page never renders a `javascript:` link it was sent.
 */
export function linksIn(html: string, text: string): string[] {
  const found = [
    ...[...html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((match) =>
      decodeEntities(match[1] ?? match[2] ?? ''),
    ),
    // A URL written out ends at white space or at what usually closes it in prose.
    ...[...text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((match) => match[0].replace(/[.,;:!?]+$/, '')),
  ];
  return [...new Set(found.map((link) => link.trim()).filter(isHttpUrl))];
}

/**
 * The development mailbox: the stand-in speaks no SMTP and keeps here, in memory, every email
 * FusionAuth would have sent, newest first (`GET /dev/mailbox`, `/dev/mailbox.json`).
 */
export class DevMailbox {
  private emails: SentEmail[] = [];

  deliver(email: Omit<SentEmail, 'id' | 'links' | 'sentAt'>): SentEmail {
    const sent: SentEmail = { ...email, id: randomUUID(), links: linksIn(email.html, email.text), sentAt: Date.now() };
    this.emails = [sent, ...this.emails].slice(0, capacity);
    return sent;
  }

  /** Newest first. */
  list(): readonly SentEmail[] {
    return this.emails;
  }

  clear(): void {
    this.emails = [];
  }
}
