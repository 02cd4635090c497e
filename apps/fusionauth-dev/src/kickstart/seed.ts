import type { FastifyInstance } from 'fastify';
import type { Kickstart } from '@native-login/kickstart';
import type { StandInStore } from '../state/store.js';

export class KickstartRequestError extends Error {
  override name = 'KickstartRequestError';
}

/**
 * Seeds the stand-in the way FusionAuth runs a kickstart: its API keys first, then each request in
 * order through the stand-in's own API with the first key, stopping at the first failure so that a
 * broken kickstart is noticed here before it is noticed by FusionAuth.
 */
export async function seedFromKickstart(
  app: FastifyInstance,
  store: StandInStore,
  kickstart: Kickstart,
): Promise<void> {
  const [firstKey] = kickstart.apiKeys;
  if (!firstKey) throw new KickstartRequestError('a kickstart needs at least one API key to run its requests');
  for (const apiKey of kickstart.apiKeys) store.apiKeys.set(apiKey.key, apiKey);

  for (const [index, request] of kickstart.requests.entries()) {
    const response = await app.inject({
      method: request.method,
      url: request.url,
      headers: {
        authorization: firstKey.key,
        'content-type': request.contentType ?? 'application/json',
        ...(request.tenantId !== undefined && { 'x-fusionauth-tenantid': request.tenantId }),
      },
      payload: JSON.stringify(request.body ?? {}),
    });
    if (response.statusCode >= 300) {
      throw new KickstartRequestError(
        `kickstart request ${index + 1} (${request.method} ${request.url}) failed with ${response.statusCode}: ${response.body}`,
      );
    }
  }
}
