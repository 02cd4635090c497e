import type { FastifyRequest } from 'fastify';
import { ApiError, retryHint } from './api-error.js';

// The answers every flow gives when FusionAuth's own answer is not one the user can act on: it
// could not be asked (503), or its password rules refused a new password (400, one sentence per
// rule, for the password field).

/** 503 `identity_unavailable`: FusionAuth is slow, down, or refusing this backend's API key. */
export const identityUnavailable = (): ApiError =>
  new ApiError(503, 'identity_unavailable', `Signing in is unavailable right now. ${retryHint(5)}`, 5);

/** 400 `password_rejected`: FusionAuth's password rules, one sentence each, for the new-password field. */
export const passwordRejected = (problems: readonly string[]): ApiError =>
  new ApiError(400, 'password_rejected', problems.join(' '));

/** The FusionAuth failure of any call, logged with its reason, answered as the outage it is (503). */
export function unavailable(
  request: FastifyRequest,
  log: Record<string, unknown>,
  outcome: { reason: string; statusCode: number | undefined },
): ApiError {
  if (outcome.reason === 'api_key_rejected') {
    request.log.error(
      { ...log, statusCode: outcome.statusCode },
      'FusionAuth rejected the API key: check FUSIONAUTH_API_KEY',
    );
  } else {
    request.log.error({ ...log, reason: outcome.reason, statusCode: outcome.statusCode }, 'FusionAuth unavailable');
  }
  return identityUnavailable();
}
