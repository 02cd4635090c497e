import { timingSafeEqual } from 'node:crypto';
import { ClientAuthenticationPolicy } from '@fusionauth/typescript-client';
import type { FastifyRequest } from 'fastify';
import type { ApplicationRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { firstValue } from './authorize-request.js';
import { invalidClient, invalidRequest } from './oauth-error.js';

/** The client a token-endpoint request names, and whether it proved itself with a secret. */
export interface ClientIdentity {
  application: ApplicationRecord;
  /** A secret came and was right. A secret that came and was wrong has already been refused. */
  authenticated: boolean;
}

/** `Authorization: Basic`, its two halves form-decoded (RFC 6749 §2.3.1). */
function basicCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const header = request.headers.authorization ?? '';
  if (!/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return value;
    }
  };
  return { id: decode(decoded.slice(0, separator)), secret: decode(decoded.slice(separator + 1)) };
}

function sameSecret(given: string, expected: string | undefined): boolean {
  if (expected === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Identifies the client of a token, introspect or similar request, by Basic or by body fields:
 * Basic and body must not name different clients, and a secret that is sent is always
 * checked, even where none is required. Whether one was needed is the caller's to decide, since it
 * depends on the grant and on PKCE.
 */
export function identifyClient(
  store: StandInStore,
  request: FastifyRequest,
  fields: Record<string, unknown>,
): ClientIdentity {
  const basic = basicCredentials(request);
  const bodyId = firstValue(fields['client_id']);
  if (basic && bodyId !== undefined && bodyId !== basic.id) {
    throw invalidClient(
      'client_id_mismatch',
      'The client_id in the request body does not match the Authorization header.',
    );
  }
  const clientId = basic?.id ?? bodyId;
  if (clientId === undefined || clientId === '') {
    throw invalidRequest('missing_client_id', 'The client_id parameter is required.');
  }
  const application = store.applications.get(clientId);
  if (!application || application.active === false) {
    throw invalidClient('invalid_client_id', `Invalid client_id ${clientId}.`);
  }
  const secret = basic?.secret ?? firstValue(fields['client_secret']);
  if (secret === undefined || secret === '') return { application, authenticated: false };
  if (!sameSecret(secret, application.oauthConfiguration?.clientSecret)) {
    throw invalidClient('invalid_client_authentication', 'The client could not be authenticated.');
  }
  return { application, authenticated: true };
}

/** Refuses a client without a secret where its `clientAuthenticationPolicy` requires one. */
export function requireClientSecret(client: ClientIdentity, pkceVerified: boolean): void {
  if (client.authenticated) return;
  const policy =
    client.application.oauthConfiguration?.clientAuthenticationPolicy ?? ClientAuthenticationPolicy.Required;
  if (policy === ClientAuthenticationPolicy.NotRequired) return;
  if (policy === ClientAuthenticationPolicy.NotRequiredWhenUsingPKCE && pkceVerified) return;
  throw invalidClient('client_authentication_missing', 'Client authentication is required.');
}
