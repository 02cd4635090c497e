import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';

/** One event FusionAuth delivered, with the app's answer to it. */
export interface WebhookDelivery {
  /** The delivered `event` (its `type`, `userId`, `applicationId`, ...). */
  event: Record<string, unknown>;
  statusCode: number;
  /** The app's answer, parsed as JSON when it is JSON. */
  answer: unknown;
}

export interface WebhookDeliveries {
  /** Where FusionAuth should send events: they go on to the app unchanged. */
  url: string;
  /** Every delivery the app has answered, in the order the answers came. */
  readonly answered: readonly WebhookDelivery[];
  /**
   * The first answered delivery whose event matches, as soon as the app has answered it; rejects,
   * naming `what` and the events answered so far, when none has after `timeoutMs`.
   */
  waitFor(
    matches: (event: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<WebhookDelivery>;
}

// Hop-by-hop and framing headers belong to each connection, not to the delivery.
const notForwarded = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || notForwarded.has(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return forwarded;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Stands between FusionAuth and an app's webhook route (`target`): passes every delivery on with
 * the same body and headers (so the same signature), answers FusionAuth with the app's answer, and
 * keeps both. A test can then wait until the app has answered an event, rather than sleeping and
 * hoping a late delivery has arrived. Closed after the test.
 */
export async function recordWebhookDeliveries(t: Test, target: string): Promise<WebhookDeliveries> {
  const answered: WebhookDelivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        let statusCode = 502;
        let text: string;
        let contentType: string | null = 'text/plain';
        try {
          const reply = await fetch(target, {
            method: request.method ?? 'POST',
            headers: forwardedHeaders(request.headers),
            body,
            signal: AbortSignal.timeout(5_000),
          });
          statusCode = reply.status;
          contentType = reply.headers.get('content-type');
          text = await reply.text();
        } catch (error) {
          text = `could not reach ${target}: ${String(error)}`;
        }
        const sent = parsed(body.toString('utf8')) as { event?: Record<string, unknown> } | undefined;
        answered.push({ event: sent?.event ?? {}, statusCode, answer: parsed(text) });
        response.writeHead(statusCode, contentType ? { 'content-type': contentType } : {});
        response.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    answered,
    async waitFor(matches, what, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = answered.find((delivery) => matches(delivery.event));
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = answered.map((delivery) => delivery.event['type']).join(', ') || 'none';
          throw new Error(`the app did not answer ${what} within ${timeoutMs} ms (events answered: ${seen})`);
        }
        await sleep(20);
      }
    },
  };
}
