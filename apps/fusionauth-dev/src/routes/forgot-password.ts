import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, fieldError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { namedApplication } from '../http/named-application.js';
import { resolveTenant } from '../http/tenant.js';
import { deliveryAddress, tenantTemplateId } from '../email/send-email.js';
import type { StandInStore } from '../state/store.js';
import { unknownUserWithoutApiKeyStatus } from '../users/assumptions.js';
import { startForgotPassword } from '../users/forgot-password.js';

const forgotPasswordBody = z
  .object({
    loginId: z.string().optional(),
    /** Deprecated spellings of `loginId`. */
    email: z.string().optional(),
    username: z.string().optional(),
    applicationId: z.string().optional(),
    changePasswordId: z.string().optional(),
    sendForgotPasswordEmail: z.boolean().optional(),
    sendForgotPasswordMessage: z.boolean().optional(),
    state: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/**
 * Start Forgot Password Workflow: https://fusionauth.io/docs/apis/users/forgot-password. With an
 * API key the answer carries the `changePasswordId` (and `sendForgotPasswordEmail: false` starts
 * the workflow without the email); without one the email is always sent and the answer is empty,
 * for a login id nobody has as well. 403 when the tenant has no forgot-password template (and an
 * email is to be sent), 404 an unknown user (with an API key), 422 a user with no address to send to.
 */
export function forgotPasswordRoutes(app: FastifyInstance, store: StandInStore): void {
  app.post('/api/user/forgot-password', { config: { apiKey: 'optional' } }, async (request: FastifyRequest, reply) => {
    const body = readBody(forgotPasswordBody, request.body);
    const loginId = body.loginId ?? body.email ?? body.username;
    requireFields({ loginId });
    const application = namedApplication(store, body.applicationId);
    const tenant = resolveTenant(request, store, application?.tenantId);
    const withKey = request.apiKey !== undefined;
    // Without an API key an email is always sent, and the caller cannot choose the id.
    const send = withKey ? (body.sendForgotPasswordMessage ?? body.sendForgotPasswordEmail ?? true) : true;
    if (send && tenantTemplateId(tenant, 'forgotPassword') === undefined) throw new ApiError(403);

    const record = store.findUserByLoginId(tenant.id, loginId ?? '');
    if (!record) {
      if (withKey) throw notFound();
      return reply.code(unknownUserWithoutApiKeyStatus).send();
    }
    if (send && deliveryAddress(record.user) === undefined) {
      if (withKey) throw new ApiError(422);
      return reply.code(200).send();
    }
    const chosen = withKey ? body.changePasswordId : undefined;
    if (chosen !== undefined && store.changePasswordIds.has(chosen)) {
      throw fieldError('changePasswordId', '[duplicate]', 'The [changePasswordId] is already in use.');
    }
    const { changePasswordId } = startForgotPassword(store, {
      tenant,
      record,
      application,
      state: body.state,
      sendEmail: send,
      changePasswordId: chosen,
    });
    return withKey ? { changePasswordId } : reply.code(200).send();
  });
}
