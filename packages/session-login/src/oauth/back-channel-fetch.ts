import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchBody } from 'openid-client';

/** Why FusionAuth could not be asked: the sign-in can be tried again later; it has not failed. */
export type UnavailableReason = 'timeout' | 'network_error' | 'server_error';

/**
 * FusionAuth did not answer within the timeout, could not be reached, or answered 5xx. Thrown by
 * the back channel itself, so that openid-client and jose pass it on (as the `cause` of their own
 * errors) and the callback can tell an outage from a refusal.
 */
export class FusionAuthUnavailable extends Error {
  override name = 'FusionAuthUnavailable';

  constructor(
    readonly reason: UnavailableReason,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(`FusionAuth unavailable: ${reason}${statusCode === undefined ? '' : ` (${statusCode})`}`, options);
  }
}

/** The request a library hands its fetch: what openid-client's `customFetch` and jose's both send. */
export interface BackChannelRequest {
  method?: string | undefined;
  headers?: Headers | Record<string, string> | undefined;
  body?: FetchBody;
  redirect?: 'manual' | undefined;
  signal?: AbortSignal | undefined;
}

export type BackChannelFetch = (url: string, request: BackChannelRequest) => Promise<Response>;

/** `url` moved from one base URL to another, when it is under the first; otherwise as it is. */
export function rebase(url: string, from: string, to: string): string {
  if (from === to) return url;
  const under = url === from || url.startsWith(`${from}/`) || url.startsWith(`${from}?`);
  return under ? `${to}${url.slice(from.length)}` : url;
}

/** Statuses whose Response may carry no body. */
const withoutBody = new Set([204, 205, 304]);

export interface BackChannelSettings {
  /** Where browsers reach FusionAuth (the issuer); requests for it go to `backChannelUrl` instead. */
  publicUrl: string;
  backChannelUrl: string;
  timeoutMs: number;
}

/**
 * How the relying party's libraries (openid-client, jose) reach FusionAuth: over the back channel
 * (FUSIONAUTH_URL, even for URLs under the browser-facing address), with the FusionAuth timeout
 * (FUSIONAUTH_TIMEOUT_MS) on the whole exchange, and with every outage (no answer in time, no
 * connection, a 5xx) thrown as FusionAuthUnavailable. The body is read within the deadline too, so
 * a FusionAuth that stalls halfway through an answer is as unavailable as one that never answers;
 * the libraries get it back whole.
 */
/**
 * Whatever one sign-in's token request answered, kept aside while the libraries check it: if a
 * check fails after FusionAuth issued a refresh token, its id is still known, so it can be revoked.
 * Per request (AsyncLocalStorage), since one Configuration serves every sign-in at once.
 */
export const tokenAnswers = new AsyncLocalStorage<{ refreshTokenId?: string | undefined }>();

function noteRefreshTokenId(status: number, headers: Headers, body: ArrayBuffer): void {
  const note = tokenAnswers.getStore();
  if (!note || status !== 200 || !headers.get('content-type')?.includes('json')) return;
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { refresh_token_id?: unknown };
    if (typeof parsed.refresh_token_id === 'string') note.refreshTokenId = parsed.refresh_token_id;
  } catch {
    // Not JSON after all: the library will say so.
  }
}

export function backChannelFetch(settings: BackChannelSettings): BackChannelFetch {
  const { publicUrl, backChannelUrl, timeoutMs } = settings;
  return async (url, request) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    let status: number;
    let statusText: string;
    let headers: Headers;
    let body: ArrayBuffer;
    try {
      const answer = await fetch(rebase(url, publicUrl, backChannelUrl), {
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body ?? null,
        redirect: 'manual',
        signal: request.signal ? AbortSignal.any([request.signal, deadline]) : deadline,
      });
      ({ status, statusText } = answer);
      headers = new Headers(answer.headers);
      body = await answer.arrayBuffer();
    } catch (error) {
      throw new FusionAuthUnavailable(deadline.aborted ? 'timeout' : 'network_error', undefined, { cause: error });
    }
    if (status >= 500) throw new FusionAuthUnavailable('server_error', status);
    if (request.method === 'POST') noteRefreshTokenId(status, headers, body);
    // The body is whole and already decoded: its framing headers no longer describe it.
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(withoutBody.has(status) ? null : body, { status, statusText, headers });
  };
}
