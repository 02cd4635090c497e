import type { RefreshToken } from '@fusionauth/typescript-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldError, generalError, notFound, requireFields, unauthorized } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { issueAccessToken, liveRefreshToken, verifyAccessToken } from '../login/tokens.js';
import { announceRevocations } from '../events/webhook-events.js';
import type { RefreshTokenRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

const refreshBody = z.object({ refreshToken: z.string().optional(), token: z.string().optional() }).loose();
const revokeFilter = z.object({
  token: z.string().optional(),
  userId: z.string().optional(),
  applicationId: z.string().optional(),
});
const tokenIdParams = z.object({ tokenId: z.string() });
const uuid = z.uuid();

function describeRefreshToken(record: RefreshTokenRecord): RefreshToken {
  return {
    id: record.id,
    applicationId: record.applicationId,
    userId: record.userId,
    tenantId: record.tenantId,
    insertInstant: record.insertInstant,
    startInstant: record.startInstant,
    ...(record.metaData !== undefined && { metaData: record.metaData }),
  };
}

/** JWT API: refresh, retrieve and revoke refresh tokens, validate: https://fusionauth.io/docs/apis/jwt */
export function jwtRoutes(app: FastifyInstance, store: StandInStore): void {
  app.post('/api/jwt/refresh', { config: { apiKey: 'none' } }, async (request) => {
    const body = readBody(refreshBody, request.body);
    requireFields({ refreshToken: body.refreshToken });
    const refreshToken = liveRefreshToken(store, body.refreshToken ?? '');
    const record = refreshToken ? store.users.get(refreshToken.userId) : undefined;
    const application = refreshToken?.applicationId ? store.applications.get(refreshToken.applicationId) : undefined;
    const tenant = record ? store.tenants.get(record.user.tenantId) : undefined;
    if (
      !refreshToken ||
      !record ||
      !application ||
      !tenant ||
      application.loginConfiguration?.allowTokenRefresh !== true
    ) {
      throw fieldError('refreshToken', '[invalid]', 'The refresh token is expired, unknown or revoked.');
    }
    const { token } = await issueAccessToken(store, {
      record,
      tenant,
      application,
      registration: record.user.registrations?.find((candidate) => candidate.applicationId === application.id),
      authenticationType: 'REFRESH_TOKEN',
      authTime: Math.floor(refreshToken.startInstant / 1000),
      refreshTokenId: refreshToken.id,
    });
    return { token, refreshToken: refreshToken.token, refreshTokenId: refreshToken.id };
  });

  const filterOf = (request: FastifyRequest) => {
    const query = revokeFilter.parse(request.query);
    const body = readBody(revokeFilter.loose(), request.body);
    const filter = { ...body, ...query };
    for (const field of ['userId', 'applicationId'] as const) {
      const value = filter[field];
      if (value !== undefined && !uuid.safeParse(value).success) {
        throw fieldError(field, '[couldNotConvert]', `Invalid ${field} [${value}]. This must be a valid UUID String.`);
      }
    }
    return filter;
  };

  app.get('/api/jwt/refresh', async (request) => {
    const { userId } = filterOf(request);
    if (userId === undefined) throw fieldError('userId', '[blank]', 'You must specify the [userId] parameter.');
    const tokens = [...store.refreshTokens.values()].filter((token) => token.userId === userId);
    return { refreshTokens: tokens.map(describeRefreshToken) };
  });

  app.delete('/api/jwt/refresh', async (request, reply) => {
    const { token, userId, applicationId } = filterOf(request);
    if (token !== undefined) {
      const record = store.refreshTokens.get(token);
      if (record) {
        store.deleteRefreshToken(record);
        announceRevocations(store, [record], true);
      }
    } else if (userId !== undefined || applicationId !== undefined) {
      announceRevocations(store, store.revokeRefreshTokens({ userId, applicationId }));
    } else {
      throw generalError(
        '[missing]',
        'Specify a refresh token, a userId, an applicationId, or a userId and applicationId.',
      );
    }
    return reply.code(200).send();
  });

  app.delete('/api/jwt/refresh/:tokenId', async (request, reply) => {
    const token = store.refreshTokenIds.get(tokenIdParams.parse(request.params).tokenId);
    const record = token === undefined ? undefined : store.refreshTokens.get(token);
    if (!record) throw notFound();
    store.deleteRefreshToken(record);
    announceRevocations(store, [record], true);
    return reply.code(200).send();
  });

  app.get('/api/jwt/validate', { config: { apiKey: 'none' } }, async (request) => {
    const header = request.headers.authorization ?? '';
    const jwt = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const claims = jwt ? await verifyAccessToken(store, jwt) : undefined;
    if (!claims) throw unauthorized();
    return { jwt: claims };
  });
}
