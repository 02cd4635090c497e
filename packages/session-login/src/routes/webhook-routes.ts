import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.js';
import { errorResponses } from '../schemas/errors.js';
import { sessionsInThisApp } from '../session/records/session-records.js';

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
/** Where FusionAuth delivers its events. */
const webhookPath = '/api/fusionauth/webhook';

export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const { config, fusionAuth: gateway, sessionRecords: records } = app;
  // Without a webhook that reaches this app, FusionAuth's revocations stop here without a word.
  app.addHook('onReady', () => {
    void warnUnlessWebhooksReachThisApp(app);
  });
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  // The signature covers the exact bytes: keep them, and parse them with Fastify's own JSON parser
  // (with its guards against prototype poisoning), as every other route's body is parsed.
  // Stryker disable next-line StringLiteral: secure-json-parse takes an empty action for 'error'.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // Whatever JSON parser the app installed, this route reads the bytes itself.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    rawBodies.set(request, body as Buffer);
    void parseJson(request, (body as Buffer).toString('utf8'), done);
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
      // Stryker disable next-line ConditionalExpression: a switch that runs out returns undefined all the same.
      default:
        return undefined;
    }
  }

  app.withTypeProvider<ZodTypeProvider>().post(
    webhookPath,
    {
      // Checked before the body is validated: an unsigned request learns nothing.
      preValidation: async (request) => {
        try {
          await verify(request);
        } catch (error) {
          // Unverified: nothing it says (its type included) is believed, so nothing of it labels a metric.
          app.metrics.webhookEvents.inc({ type: 'unverified', result: 'refused' });
          throw error;
        }
      },
      schema: {
        summary: "FusionAuth's events: the ones about a user end their sessions in this app",
        description:
          'Called by FusionAuth, never by a browser. Every event must carry `X-FusionAuth-Signature-JWT` over the exact body and be recent.',
        tags: ['FusionAuth'],
        body: event,
        response: { 200: z.object({ sessionsEnded: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => {
      const received = request.body.event;
      const age = Date.now() - received.createInstant;
      if (age > config.webhooks.maxAgeMs || age < -60_000) {
        app.metrics.webhookEvents.inc({ type: received.type, result: 'stale' });
        throw refused('webhook_stale', 'The event is too old (or from the future) to be trusted.');
      }
      const userId = await userToSignOut(received);
      if (!userId) {
        app.metrics.webhookEvents.inc({ type: received.type, result: 'ignored' });
        return { sessionsEnded: 0 };
      }
      // One revoked refresh token ends only the session it belonged to (that one may be ending anyway).
      const onlyToken = received.type === 'jwt.refresh-token.revoke' ? received.refreshToken?.id : undefined;
      let sessionsEnded = 0;
      for (const { handle, record } of await sessionsInThisApp(records, config.applicationId, userId)) {
        if (onlyToken !== undefined && record.refreshTokenId !== onlyToken) continue;
        // Sessions begun after the event are not what it was about: a replay cannot reach them.
        if ((record.createdAt ?? 0) > received.createInstant) continue;
        if (await records.endForUser(userId, handle)) sessionsEnded += 1;
      }
      app.metrics.webhookEvents.inc({ type: received.type, result: 'applied' });
      app.metrics.sessionEnds.inc({ reason: 'fusionauth_event' }, sessionsEnded);
      request.log.info(
        { event: 'sessions_revoked', userId, reason: received.type, sessionsEnded },
        "FusionAuth ended a user's sessions",
      );
      return { sessionsEnded };
    },
  );
}

/**
 * Looks, once the app is ready, for a FusionAuth webhook aimed at this app: at its webhook URL (the
 * origin's webhook route unless configured), or at the address it listens on. It warns when there
 * is none: events would go elsewhere and sessions FusionAuth ends would live on here. It does not
 * hold up the start; FusionAuth not answering is not a finding.
 */
async function warnUnlessWebhooksReachThisApp(app: FastifyInstance): Promise<void> {
  const urls = await app.fusionAuth.webhookUrls();
  if (urls === undefined) return;
  const { origin, host, port, prefix, webhooks } = app.config;
  // A configured URL, like the origin, is read without its trailing slashes (see httpUrl).
  const expected = webhooks.url ?? `${origin}${webhookPath}`;
  // Listening on every interface, the app is reached on loopback by a FusionAuth beside it.
  const listening = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${webhookPath}`;
  const targets = new Set([expected, listening]);
  if (urls.some((url) => targets.has(url.replace(/\/+$/, '')))) return;
  app.log.warn(
    { event: 'webhooks_elsewhere', webhookUrls: urls, expected: [...targets] },
    `no FusionAuth webhook reaches this app: point one at ${expected} (or set ${prefix}_WEBHOOK_URL to the address FusionAuth reaches it at), or FusionAuth's revocations will not end sessions here`,
  );
}
