import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import type { StandInStore } from '../state/store.js';

/** The events this stand-in sends; FusionAuth has many more. */
export type EventType =
  'user.deactivate' | 'user.delete' | 'user.password.update' | 'jwt.refresh-token.revoke' | 'user.action';

export interface EventData {
  tenantId: string;
  [property: string]: unknown;
}

/**
 * Sends an event to every webhook that wants it, as FusionAuth does: only when the tenant has the
 * event enabled (`tenant.eventConfiguration.events[type].enabled`) and the webhook lists it in
 * `eventsEnabled`, as `{ event: {...} }`, signed with `X-FusionAuth-Signature-JWT` when the webhook
 * says so: a JWT whose `request_body_sha256` is the base64 SHA-256 of the exact body sent.
 * https://fusionauth.io/docs/extend/events-and-webhooks/signing
 * Delivery does not hold up the API call that caused it; failures are logged.
 */
export function emitEvent(store: StandInStore, log: FastifyBaseLogger, type: EventType, data: EventData): void {
  const tenant = store.tenants.get(data.tenantId);
  const enabled = (tenant?.eventConfiguration?.events as Record<string, { enabled?: boolean }> | undefined)?.[type]
    ?.enabled;
  if (!enabled) return;
  const body = JSON.stringify({ event: { id: randomUUID(), type, createInstant: Date.now(), ...data } });
  for (const webhook of store.webhooks.values()) {
    const wanted = (webhook.eventsEnabled as Record<string, boolean> | undefined)?.[type];
    const forTenant = webhook.global !== false || (webhook.tenantIds ?? []).includes(data.tenantId);
    if (!wanted || !forTenant) continue;
    void deliver(store, webhook.url, webhook.signatureConfiguration, body).catch((error: unknown) =>
      log.warn({ err: error, type, url: webhook.url }, 'webhook delivery failed'),
    );
  }
}

async function deliver(
  store: StandInStore,
  url: string,
  signature: { enabled?: boolean; signingKeyId?: string } | undefined,
  body: string,
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature?.enabled) {
    const key = store.keys.get(signature.signingKeyId ?? '');
    if (!key) throw new Error(`no signing key ${signature.signingKeyId}`);
    const digest = createHash('sha256').update(body).digest('base64');
    headers['x-fusionauth-signature-jwt'] = await new SignJWT({ request_body_sha256: digest })
      .setProtectedHeader({ alg: key.algorithm, typ: 'JWT', kid: key.kid })
      .setIssuedAt()
      .sign(key.signingKey);
  }
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/**
 * `jwt.refresh-token.revoke` for revoked tokens, as FusionAuth reports them: a single token's event
 * names it (`refreshToken`, without its value); a bulk revocation's names only the user and
 * application, once per pair.
 */
export function announceRevocations(
  store: StandInStore,
  tokens: Array<{
    id: string;
    userId: string;
    applicationId?: string | undefined;
    tenantId: string;
    insertInstant: number;
  }>,
  single = false,
): void {
  const [only] = tokens;
  if (single && only) {
    store.emit('jwt.refresh-token.revoke', {
      tenantId: only.tenantId,
      userId: only.userId,
      applicationId: only.applicationId,
      refreshToken: {
        id: only.id,
        userId: only.userId,
        applicationId: only.applicationId,
        insertInstant: only.insertInstant,
      },
    });
    return;
  }
  const seen = new Set<string>();
  for (const token of tokens) {
    const key = `${token.userId} ${token.applicationId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    store.emit('jwt.refresh-token.revoke', {
      tenantId: token.tenantId,
      userId: token.userId,
      applicationId: token.applicationId,
    });
  }
}
