import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { AppConfig } from '../config/environment.js';
import { ApiError } from '../errors/api-error.js';
import type { FusionAuthGateway } from '../fusionauth/gateway.js';
import { sessionsInThisApp } from '../session/session-lifecycle.js';
import type { SessionRecords } from '../session/session-records.js';
import { errorBody } from './schemas.js';

export interface WebhookRoutesOptions {
  config: AppConfig;
  gateway: FusionAuthGateway;
  records: SessionRecords;
}

const event = z.object({
  event: z
    .object({
      type: z.string(),
      createInstant: z.number(),
      user: z.object({ id: z.string() }).loose().optional(),
      userId: z.string().optional(),
      applicationId: z.string().optional(),
      actioneeUserId: z.string().optional(),
      phase: z.string().optional(),
      refreshToken: z.object({ id: z.string() }).loose().optional(),
    })
    .loose(),
});
type FusionAuthEvent = z.infer<typeof event>['event'];

const refused = (code: string, message: string) => new ApiError(401, code, message);

/**
 * Revocation driven by FusionAuth: its signed webhooks end a user's sessions in this app when the
 * user is deactivated or deleted, changes their password, has their refresh tokens for this app
 * revoked, or has an action taken that prevents login.
 * https://fusionauth.io/docs/extend/events-and-webhooks/signing
 *
 * Every event must carry `X-FusionAuth-Signature-JWT`, signed with a key FusionAuth publishes (or
 * the configured HMAC secret), whose `request_body_sha256` is the hash of the very bytes received,
 * and must be recent: anything unsigned, mis-signed, altered or stale is refused.
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { config, gateway, records } = options;
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  // The signature covers the exact bytes: keep them, as well as the parsed event.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    rawBodies.set(request, body as Buffer);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')) as unknown);
    } catch {
      done(new ApiError(400, 'invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  });

  const secret = config.webhooks.hmacSecret;
  const keys: JWTVerifyGetKey | Uint8Array = secret
    ? new TextEncoder().encode(secret)
    : createRemoteJWKSet(new URL(`${config.fusionAuth.url}/.well-known/jwks.json`));
  const algorithms = secret ? ['HS256', 'HS384', 'HS512'] : ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

  async function verify(request: FastifyRequest): Promise<void> {
    const signature = request.headers['x-fusionauth-signature-jwt'];
    if (typeof signature !== 'string') throw refused('webhook_unsigned', 'The event is not signed.');
    let claimed: unknown;
    try {
      const { payload } = await jwtVerify(signature, keys as Parameters<typeof jwtVerify>[1], { algorithms });
      claimed = payload['request_body_sha256'];
    } catch {
      throw refused('webhook_signature_invalid', 'The event signature does not verify.');
    }
    const actual = createHash('sha256')
      .update(rawBodies.get(request) ?? Buffer.alloc(0))
      .digest('base64');
    if (claimed !== actual) throw refused('webhook_signature_invalid', 'The event does not match its signature.');
  }

  /** Whose sessions the event ends, if any. */
  async function userToSignOut(received: FusionAuthEvent): Promise<string | undefined> {
    switch (received.type) {
      case 'user.deactivate':
      case 'user.delete':
      case 'user.password.update':
        return received.user?.id;
      case 'jwt.refresh-token.revoke':
        // Tokens of another application say nothing about this one's sessions.
        return received.applicationId === undefined || received.applicationId === config.applicationId
          ? received.userId
          : undefined;
      case 'user.action':
        return received.phase === 'start' &&
          received.actioneeUserId &&
          (await gateway.hasLoginPreventingAction(received.actioneeUserId))
          ? received.actioneeUserId
          : undefined;
      default:
        return undefined;
    }
  }

  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/fusionauth/webhook',
    {
      // Checked before the body is validated: an unsigned request learns nothing.
      preValidation: async (request) => verify(request),
      schema: {
        body: event,
        response: { 200: z.object({ sessionsEnded: z.number().int() }), '4xx': errorBody, '5xx': errorBody },
      },
    },
    async (request) => {
      const received = request.body.event;
      const age = Date.now() - received.createInstant;
      if (age > config.webhooks.maxAgeMs || age < -60_000) {
        throw refused('webhook_stale', 'The event is too old (or from the future) to be trusted.');
      }
      const userId = await userToSignOut(received);
      if (!userId) return { sessionsEnded: 0 };
      // One revoked refresh token ends only the session it belonged to (that one may be ending anyway).
      const onlyToken = received.type === 'jwt.refresh-token.revoke' ? received.refreshToken?.id : undefined;
      let sessionsEnded = 0;
      for (const { handle, record } of await sessionsInThisApp(records, config, userId)) {
        if (onlyToken !== undefined && record.refreshTokenId !== onlyToken) continue;
        // Sessions begun after the event are not what it was about: a replay cannot reach them.
        if ((record.createdAt ?? 0) > received.createInstant) continue;
        if (await records.endForUser(userId, handle)) sessionsEnded += 1;
      }
      request.log.info(
        { event: 'sessions_revoked', userId, reason: received.type, sessionsEnded },
        "FusionAuth ended a user's sessions",
      );
      return { sessionsEnded };
    },
  );
}
