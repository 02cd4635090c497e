import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { fieldError, notFound, requireFields, unauthorized } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { resolveTenant } from '../http/tenant.js';
import type { LoginOutcome } from '../login/login-flow.js';
import { loginWithOneTimePassword, loginWithPassword, loginWithSecondFactor } from '../login/login-flow.js';
import { verifyTotp } from '../crypto/totp.js';
import type { StandInStore } from '../state/store.js';

/** What a login and its second step both accept about the application, the client and the token. */
const loginContextFields = {
  applicationId: z.string().optional(),
  ipAddress: z.string().optional(),
  noJWT: z.boolean().optional(),
  metaData: z.record(z.string(), z.unknown()).optional(),
};

const loginBody = z
  .object({
    loginId: z.string().optional(),
    password: z.string().optional(),
    /** From the Change Password API: takes the place of the login id and the password. */
    oneTimePassword: z.string().optional(),
    ...loginContextFields,
  })
  .loose();

const twoFactorBody = z
  .object({ twoFactorId: z.string().optional(), code: z.string().optional(), ...loginContextFields })
  .loose();

function send(reply: FastifyReply, outcome: LoginOutcome): FastifyReply {
  return outcome.body ? reply.code(outcome.status).send(outcome.body) : reply.code(outcome.status).send();
}

/**
 * Login API (https://fusionauth.io/docs/apis/login#authenticate-a-user), with a one-time password
 * (https://fusionauth.io/docs/apis/login/authenticate-otp), and its second step,
 * Complete Multi-Factor Authentication (https://fusionauth.io/docs/apis/login#complete-multi-factor-authentication).
 */
export function loginRoutes(app: FastifyInstance, store: StandInStore): void {
  const invalidApplication = (applicationId: string) =>
    fieldError('applicationId', '[invalid]', `The application Id [${applicationId}] is not valid.`);
  const applicationNamed = (applicationId: string | undefined) => {
    if (applicationId === undefined) return undefined;
    const application = store.applications.get(applicationId);
    if (!application) throw invalidApplication(applicationId);
    return application;
  };

  app.post('/api/login', { config: { apiKey: 'optional' } }, async (request, reply) => {
    const body = readBody(loginBody, request.body);
    const application = applicationNamed(body.applicationId);
    const tenant = resolveTenant(request, store, application?.tenantId);
    if (application && application.tenantId !== tenant.id) throw invalidApplication(application.id);
    // An API key is required unless the application (or, with no application, the tenant) waives it.
    const requireKey = application
      ? application.loginConfiguration?.requireAuthentication !== false
      : tenant.loginConfiguration?.requireAuthentication !== false;
    if (requireKey && !request.apiKey) throw unauthorized();
    const context = {
      tenant,
      application,
      ipAddress: body.ipAddress ?? request.ip,
      noJWT: body.noJWT ?? false,
      metaData: body.metaData,
    };
    if (body.oneTimePassword !== undefined && body.oneTimePassword !== '') {
      return send(reply, await loginWithOneTimePassword(store, { ...context, oneTimePassword: body.oneTimePassword }));
    }
    requireFields({ loginId: body.loginId, password: body.password });

    const outcome = await loginWithPassword(store, {
      ...context,
      loginId: body.loginId ?? '',
      password: body.password ?? '',
    });
    return send(reply, outcome);
  });

  app.post('/api/two-factor/login', { config: { apiKey: 'none' } }, async (request, reply) => {
    const body = readBody(twoFactorBody, request.body);
    requireFields({ twoFactorId: body.twoFactorId, code: body.code });
    const pending = store.pendingTwoFactorLogins.get(body.twoFactorId ?? '');
    const record = pending ? store.users.get(pending.userId) : undefined;
    if (!pending || !record || pending.expiresAt <= Date.now()) {
      if (pending) store.pendingTwoFactorLogins.delete(pending.twoFactorId);
      throw notFound();
    }
    const tenant = store.tenants.get(record.user.tenantId);
    if (!tenant) throw notFound();
    const application = applicationNamed(body.applicationId ?? pending.applicationId);
    if (application && application.tenantId !== tenant.id) throw invalidApplication(application.id);

    const code = body.code ?? '';
    const valid = [...record.twoFactorSecrets.values()].some((secret) => verifyTotp(secret, code));
    // 421: the code is wrong; the twoFactorId stays usable until it expires.
    if (!valid) return reply.code(421).send();
    store.pendingTwoFactorLogins.delete(pending.twoFactorId);

    const outcome = await loginWithSecondFactor(store, record, {
      tenant,
      application,
      ipAddress: body.ipAddress ?? pending.ipAddress ?? request.ip,
      noJWT: body.noJWT ?? pending.noJWT,
      metaData: body.metaData,
    });
    return send(reply, outcome);
  });
}
