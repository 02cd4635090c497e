import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { verifyPassword } from '../crypto/passwords.js';
import { FieldErrors, generalError, notFound } from '../http/api-error.js';
import { namedApplication } from '../http/named-application.js';
import { readBody } from '../http/request-body.js';
import { visibleTo } from '../http/tenant.js';
import type { ChangePasswordIdRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { oneTimePasswordWithoutApplication } from '../users/assumptions.js';
import {
  checkNewPassword,
  issueOneTimePassword,
  liveChangePasswordId,
  setNewPassword,
  trustTokenRequired,
} from '../users/password-change.js';

const changePasswordBody = z
  .object({
    changePasswordId: z.string().optional(),
    password: z.string().optional(),
    currentPassword: z.string().optional(),
    applicationId: z.string().optional(),
    trustToken: z.string().optional(),
    trustChallenge: z.string().optional(),
  })
  .loose();

const idParams = z.object({ changePasswordId: z.string().optional() });

/** 400 `[TrustTokenRequired]`: the user has a second factor and must complete a step-up first. */
const trustTokenError = () =>
  generalError(
    '[TrustTokenRequired]',
    'This request requires a Trust Token. Complete a Two-Factor Login request to obtain a trustToken.',
  );

interface Found {
  pending: ChangePasswordIdRecord;
  record: UserRecord;
  tenant: TenantRecord;
}

/**
 * Change a User's Password by `changePasswordId` (https://fusionauth.io/docs/apis/users/change-password)
 * and Validate a password change (https://fusionauth.io/docs/apis/users/validate-password-change).
 * No API key needed. The id comes from the Forgot Password API, a 203 login or a set-password
 * email; it is spent by the change and lives the tenant's `changePasswordIdTimeToLiveInSeconds`.
 * Changing the password clears a required change, revokes the user's refresh tokens and every
 * outstanding id, and answers a `oneTimePassword` for one Login API call. Unknown, spent or
 * expired: 404. The loginId (API key) and JWT forms of the API are not served.
 */
export function changePasswordRoutes(app: FastifyInstance, store: StandInStore): void {
  /** The live id, its user and tenant, within the tenant the request is pinned to. */
  const find = (request: FastifyRequest, changePasswordId: string | undefined): Found | undefined => {
    const pending = changePasswordId === undefined ? undefined : liveChangePasswordId(store, changePasswordId);
    const record = pending && store.users.get(pending.userId);
    const tenant = pending && store.tenants.get(pending.tenantId);
    if (!pending || !record || !tenant || !visibleTo(request, tenant.id)) return undefined;
    return { pending, record, tenant };
  };

  const change = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = readBody(changePasswordBody, request.body);
    // The id in the body wins over the deprecated one in the path.
    const changePasswordId = body.changePasswordId ?? idParams.parse(request.params).changePasswordId;
    if (changePasswordId === undefined || changePasswordId === '') {
      throw generalError('[invalid]', 'The stand-in changes a password by its [changePasswordId] only.');
    }
    namedApplication(store, body.applicationId);
    const found = find(request, changePasswordId);
    const password = body.password ?? '';
    // Validation comes first, as in FusionAuth: a blank password is 400 even for an unknown id, and
    // a missing trust token is the only error reported when there is one.
    if (found && trustTokenRequired(found.record, found.pending)) throw trustTokenError();
    const errors = new FieldErrors().requireAll({ password: body.password });
    if (found && password !== '') await checkNewPassword(found.tenant, found.record, password, 'password', errors);
    errors.throwIfAny();
    if (!found) throw notFound();
    if (body.currentPassword !== undefined && !(await verifyPassword(body.currentPassword, found.record.password))) {
      throw notFound();
    }
    // Another change may have spent the id while the password was being checked.
    if (!store.changePasswordIds.has(found.pending.changePasswordId)) throw notFound();
    await setNewPassword(store, found.tenant, found.record, password, found.pending);
    const applicationId = found.pending.applicationId ?? body.applicationId;
    if (applicationId === undefined && !oneTimePasswordWithoutApplication) return reply.code(200).send();
    const { oneTimePassword } = issueOneTimePassword(store, found.tenant, found.record);
    return { oneTimePassword, ...(found.pending.state !== undefined && { state: found.pending.state }) };
  };
  app.post('/api/user/change-password', { config: { apiKey: 'optional' } }, change);
  app.post('/api/user/change-password/:changePasswordId', { config: { apiKey: 'optional' } }, change);

  app.get('/api/user/change-password/:changePasswordId', { config: { apiKey: 'optional' } }, async (request, reply) => {
    const found = find(request, idParams.parse(request.params).changePasswordId);
    if (!found) throw notFound();
    if (trustTokenRequired(found.record, found.pending)) throw trustTokenError();
    return reply.code(200).send();
  });
}
