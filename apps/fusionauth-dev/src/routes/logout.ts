import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readBody } from '../http/request-body.js';
import type { StandInStore } from '../state/store.js';

// The typescript client's `logout(global, refreshToken)` sends both as query parameters (the literal
// `undefined` for a missing token); `logoutWithRequest` sends them as JSON.
const logoutQuery = z.object({ global: z.string().optional(), refreshToken: z.string().optional() });
const logoutBody = z.object({ global: z.boolean().optional(), refreshToken: z.string().optional() }).loose();

/**
 * Logout API: revokes the refresh token given (all of its owner's tokens with `global`) and answers
 * 200 with no body, whether or not the token was known. https://fusionauth.io/docs/apis/login#logout-a-user
 */
export function logoutRoutes(app: FastifyInstance, store: StandInStore): void {
  app.post('/api/logout', { config: { apiKey: 'none' } }, async (request, reply) => {
    const query = logoutQuery.parse(request.query);
    const body = readBody(logoutBody, request.body);
    const refreshToken = query.refreshToken ?? body.refreshToken;
    const global = query.global === 'true' || body.global === true;
    const record = refreshToken === undefined ? undefined : store.refreshTokens.get(refreshToken);
    if (record && global) store.revokeRefreshTokens({ userId: record.userId });
    else if (record) store.deleteRefreshToken(record);
    return reply.code(200).send();
  });
}
