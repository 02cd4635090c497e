import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { resolveTenant, visibleTo } from '../http/tenant.js';
import { arrayPatchingFor, mergePatch } from '../state/merge-patch.js';
import type { UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { createUser, publicUser, updateUser } from '../users/accounts.js';
import { sendNewUserEmails } from '../users/new-user.js';
import { userInput } from '../users/user-input.js';

const userBody = z
  .object({
    user: userInput.optional(),
    skipVerification: z.boolean().optional(),
    sendSetPasswordEmail: z.boolean().optional(),
  })
  .loose();

const deleteBody = z.object({ hardDelete: z.boolean().optional() }).loose();
const idParams = z.object({ id: z.string().optional() });
const lookupQuery = z.object({
  email: z.string().optional(),
  loginId: z.string().optional(),
  username: z.string().optional(),
});
const flagQuery = z.object({ hardDelete: z.string().optional(), reactivate: z.string().optional() });

/** User API: https://fusionauth.io/docs/apis/users */
export function userRoutes(app: FastifyInstance, store: StandInStore): void {
  /** Announces a password change (`user.password.update`) when an update set one. */
  const updated = (record: UserRecord, password: string | undefined): UserRecord => {
    if (password) store.emit('user.password.update', { tenantId: record.user.tenantId, user: publicUser(record) });
    return record;
  };

  /** The user in the path, within the tenant the request is pinned to (another tenant's users are 404). */
  const userInPath = (request: FastifyRequest): UserRecord => {
    const record = store.users.get(idParams.parse(request.params).id ?? '');
    if (!record || !visibleTo(request, record.user.tenantId)) throw notFound();
    return record;
  };

  const create = async (request: FastifyRequest) => {
    const body = readBody(userBody, request.body);
    requireFields({ user: body.user });
    const tenant = resolveTenant(request, store);
    const id = idParams.parse(request.params).id || body.user?.id;
    const sendSetPasswordEmail = body.sendSetPasswordEmail ?? false;
    const record = await createUser(
      store,
      tenant,
      { ...body.user, ...(id !== undefined && { id }) },
      { skipVerification: body.skipVerification ?? false, sendSetPasswordEmail },
    );
    const verificationIds = sendNewUserEmails(store, tenant, record, undefined, { sendSetPasswordEmail });
    return { user: publicUser(record), ...(verificationIds.length > 0 && { verificationIds }) };
  };
  app.post('/api/user', create);
  app.post('/api/user/:id', create);

  app.get('/api/user', async (request) => {
    const query = lookupQuery.parse(request.query);
    const loginId = query.email ?? query.loginId ?? query.username;
    if (loginId === undefined) throw notFound();
    const record = store.findUserByLoginId(resolveTenant(request, store).id, loginId);
    // ?email= and ?username= match only that property; ?loginId= matches either.
    const property = query.email !== undefined ? 'email' : query.username !== undefined ? 'username' : undefined;
    const matches = property === undefined || record?.user[property]?.toLowerCase() === loginId.trim().toLowerCase();
    if (!record || !matches) throw notFound();
    return { user: publicUser(record) };
  });

  app.get('/api/user/:id', async (request) => ({ user: publicUser(userInPath(request)) }));

  app.put('/api/user/:id', async (request) => {
    const record = userInPath(request);
    if (flagQuery.parse(request.query).reactivate === 'true') {
      record.user.active = true;
      return { user: publicUser(record) };
    }
    const body = readBody(userBody, request.body);
    requireFields({ user: body.user });
    return { user: publicUser(updated(await updateUser(store, record, body.user ?? {}), body.user?.password)) };
  });

  app.patch('/api/user/:id', async (request) => {
    const record = userInPath(request);
    const body = readBody(userBody, request.body);
    requireFields({ user: body.user });
    const patch = (body.user ?? {}) as Record<string, unknown>;
    const merged = mergePatch(
      record.user as unknown as Record<string, unknown>,
      patch,
      arrayPatchingFor(request.headers['content-type']),
    );
    // Stored methods carry no secrets; only a patch that names two-factor methods replaces them.
    if (patch['twoFactor'] === undefined) delete merged['twoFactor'];
    return { user: publicUser(updated(await updateUser(store, record, userInput.parse(merged)), body.user?.password)) };
  });

  app.delete('/api/user/:id', async (request, reply) => {
    const record = userInPath(request);
    const hardDelete =
      flagQuery.parse(request.query).hardDelete === 'true' || readBody(deleteBody, request.body).hardDelete === true;
    if (hardDelete) {
      store.deleteUser(record);
      store.emit('user.delete', { tenantId: record.user.tenantId, user: publicUser(record) });
    } else {
      // A soft delete deactivates: the user stays, cannot log in (423), and loses its refresh tokens.
      record.user.active = false;
      store.revokeRefreshTokens({ userId: record.user.id });
      store.emit('user.deactivate', { tenantId: record.user.tenantId, user: publicUser(record) });
    }
    return reply.code(200).send();
  });
}
