import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, fieldError, generalError, notFound, requireFields } from '../http/api-error.js';
import { namedApplication } from '../http/named-application.js';
import { readBody } from '../http/request-body.js';
import { resolveTenant, visibleTo } from '../http/tenant.js';
import type { StandInStore } from '../state/store.js';
import { resendToVerifiedUser, unknownUserWithoutApiKeyStatus } from '../users/assumptions.js';
import { liveEmailVerification, markEmailVerified, startEmailVerification } from '../users/email-verification.js';

const verifyBody = z
  .object({
    verificationId: z.string().optional(),
    oneTimeCode: z.string().optional(),
    userId: z.string().optional(),
  })
  .loose();
const verifyParams = z.object({ verificationId: z.string().optional() });
const resendQuery = z.object({
  email: z.string().optional(),
  applicationId: z.string().optional(),
  sendVerifyEmail: z.enum(['true', 'false']).optional(),
});

/**
 * Verify a User's Email (https://fusionauth.io/docs/apis/users/verify-email) and Resend
 * Verification Email (https://fusionauth.io/docs/apis/users/resend-verification), as the
 * typescript client's `verifyEmailAddress` and `resendEmailVerification(WithApplicationTemplate)`
 * call them. A verification id is spent by its use; unknown, spent or expired: 404. The resend
 * answers the new `verificationId` with an API key (and `sendVerifyEmail=false` makes one without
 * sending the email); without a key the email is sent and the answer is empty, for an address
 * nobody has too. 403 (with a key) when the tenant does not verify email addresses.
 */
export function verifyEmailRoutes(app: FastifyInstance, store: StandInStore): void {
  const verify = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = readBody(verifyBody, request.body);
    // Marking a user verified by id is the administrative form, which needs an API key.
    if (request.apiKey && body.userId !== undefined) {
      const record = store.users.get(body.userId);
      if (!record || !visibleTo(request, record.user.tenantId)) {
        throw fieldError('userId', '[invalid]', `No user exists with Id [${body.userId}].`);
      }
      markEmailVerified(store, record);
      return reply.code(200).send();
    }
    // The id in the body wins over the deprecated one in the path.
    const verificationId = body.verificationId ?? verifyParams.parse(request.params).verificationId;
    requireFields({ verificationId });
    const verification = liveEmailVerification(store, verificationId ?? '');
    const record = verification && store.users.get(verification.userId);
    if (!verification || !record || !visibleTo(request, record.user.tenantId)) throw notFound();
    markEmailVerified(store, record);
    return reply.code(200).send();
  };
  app.post('/api/user/verify-email', { config: { apiKey: 'optional' } }, verify);
  app.post('/api/user/verify-email/:verificationId', { config: { apiKey: 'optional' } }, verify);

  app.put('/api/user/verify-email', { config: { apiKey: 'optional' } }, async (request, reply) => {
    const query = resendQuery.parse(request.query);
    requireFields({ email: query.email });
    const application = namedApplication(store, query.applicationId);
    const tenant = resolveTenant(request, store, application?.tenantId);
    const withKey = request.apiKey !== undefined;
    if (!tenant.emailConfiguration?.verifyEmail) {
      if (withKey) throw new ApiError(403);
      return reply.code(200).send();
    }
    const candidate = store.findUserByLoginId(tenant.id, query.email ?? '');
    // The address is looked up as an email, not as a username.
    const record = candidate?.user.email?.toLowerCase() === query.email?.trim().toLowerCase() ? candidate : undefined;
    if (!record) {
      if (withKey) throw notFound();
      return reply.code(unknownUserWithoutApiKeyStatus).send();
    }
    if (record.user.verified && resendToVerifiedUser === 'refuses') {
      throw generalError('[alreadyVerified]', 'The email address of this user is already verified.');
    }
    const send = withKey ? query.sendVerifyEmail !== 'false' : true;
    const verification = startEmailVerification(store, tenant, record, application, { send });
    if (!withKey) return reply.code(200).send();
    if (!verification) throw notFound();
    return { verificationId: verification.verificationId };
  });
}
