import type { FastifyBaseLogger } from 'fastify';
import type { FusionAuthGateway } from './gateway.js';

/**
 * Revokes the FusionAuth refresh token of a session that has ended. A failure is logged, not
 * fatal: the session is already gone, and the token lives out its own lifetime in FusionAuth.
 */
export async function revokeRefreshToken(
  gateway: FusionAuthGateway,
  log: FastifyBaseLogger,
  refreshTokenId: string | undefined,
  why: string,
): Promise<void> {
  if (refreshTokenId && !(await gateway.revokeRefreshToken(refreshTokenId))) {
    log.warn({ event: 'revocation_failed', why }, 'could not revoke a refresh token in FusionAuth');
  }
}
