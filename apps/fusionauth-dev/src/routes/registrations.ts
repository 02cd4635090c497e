import { UnverifiedBehavior, type UserRegistration } from '@fusionauth/typescript-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { resolveTenant, visibleTo } from '../http/tenant.js';
import { issueAccessToken } from '../login/tokens.js';
import type { ApplicationRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { createUser, publicUser, register } from '../users/accounts.js';
import { registrationAuthenticationType } from '../users/assumptions.js';
import { sendNewUserEmails } from '../users/new-user.js';
import { registrationInput, userInput } from '../users/user-input.js';

const registrationBody = z
  .object({
    user: userInput.optional(),
    registration: registrationInput.optional(),
    skipVerification: z.boolean().optional(),
    skipRegistrationVerification: z.boolean().optional(),
    sendSetPasswordEmail: z.boolean().optional(),
  })
  .loose();

const userParams = z.object({ userId: z.string().optional() });
const registrationParams = z.object({ userId: z.string(), applicationId: z.string() });

/**
 * The access token the combined create answers (https://fusionauth.io/docs/apis/registrations),
 * unless the user may not have one yet: an unverified email or registration under gated
 * verification (a paid feature). A known divergence: FusionAuth also answers a refresh token when
 * the application generates them (`loginConfiguration.generateRefreshTokens`); the stand-in does
 * not, because the backends' suites count on a user who has never signed in holding none.
 */
async function registrationToken(
  store: StandInStore,
  tenant: TenantRecord,
  application: ApplicationRecord | undefined,
  record: UserRecord,
  registration: UserRegistration,
): Promise<{ token?: string; tokenExpirationInstant?: number }> {
  const gatedEmail =
    tenant.emailConfiguration?.verifyEmail &&
    !record.user.verified &&
    tenant.emailConfiguration.unverified?.behavior === UnverifiedBehavior.Gated;
  const gatedRegistration =
    application?.verifyRegistration &&
    !registration.verified &&
    application.unverified?.behavior === UnverifiedBehavior.Gated;
  if (gatedEmail || gatedRegistration) return {};
  return issueAccessToken(store, {
    record,
    tenant,
    application,
    registration,
    authenticationType: registrationAuthenticationType,
    authTime: Math.floor(Date.now() / 1000),
  });
}

/**
 * Registration API: https://fusionauth.io/docs/apis/registrations. With a `user` in the body it
 * creates the user and the registration together, as kickstart files commonly do.
 */
export function registrationRoutes(app: FastifyInstance, store: StandInStore): void {
  const create = async (request: FastifyRequest) => {
    const body = readBody(registrationBody, request.body);
    requireFields({ registration: body.registration });
    const userId = userParams.parse(request.params).userId || body.user?.id;
    const options = { skipRegistrationVerification: body.skipRegistrationVerification ?? false };

    if (body.user) {
      const application = store.applications.get(body.registration?.applicationId ?? '');
      const tenant = resolveTenant(request, store, application?.tenantId);
      const sendSetPasswordEmail = body.sendSetPasswordEmail ?? false;
      const record = await createUser(
        store,
        tenant,
        { ...body.user, ...(userId !== undefined && { id: userId }) },
        { skipVerification: body.skipVerification ?? false, sendSetPasswordEmail },
      );
      let registration: UserRegistration;
      try {
        registration = register(store, record, body.registration, options);
      } catch (error) {
        store.deleteUser(record);
        throw error;
      }
      const verificationIds = sendNewUserEmails(store, tenant, record, application, { sendSetPasswordEmail });
      return {
        user: publicUser(record),
        registration,
        ...(await registrationToken(store, tenant, application, record, registration)),
        ...(verificationIds.length > 0 && { verificationIds }),
      };
    }

    const record = store.users.get(userId ?? '');
    if (!record || !visibleTo(request, record.user.tenantId))
      throw fieldError('userId', '[invalid]', `No user exists with Id [${userId}].`);
    const registration = register(store, record, body.registration, options);
    return { user: publicUser(record), registration };
  };
  app.post('/api/user/registration', create);
  app.post('/api/user/registration/:userId', create);

  const findRegistration = (request: FastifyRequest) => {
    const { userId, applicationId } = registrationParams.parse(request.params);
    const record = store.users.get(userId);
    const registration = record?.user.registrations?.find((candidate) => candidate.applicationId === applicationId);
    if (!record || !registration || !visibleTo(request, record.user.tenantId)) throw notFound();
    return { record, registration };
  };

  app.get('/api/user/registration/:userId/:applicationId', async (request) => ({
    registration: findRegistration(request).registration,
  }));

  app.delete('/api/user/registration/:userId/:applicationId', async (request, reply) => {
    const { record, registration } = findRegistration(request);
    record.user.registrations = record.user.registrations?.filter((candidate) => candidate !== registration);
    store.revokeRefreshTokens({ userId: record.user.id, applicationId: registration.applicationId ?? '' });
    return reply.code(200).send();
  });
}
