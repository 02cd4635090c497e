import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import { arrayPatchingFor, mergePatch } from '../state/merge-patch.js';

type AdminObject = { id: string; name?: string };
type Json = Record<string, unknown>;

/** One of FusionAuth's admin objects served with its usual create/retrieve/update/delete API. */
export interface AdminResource<T extends AdminObject> {
  /** e.g. `/api/tenant` */
  path: string;
  /** The request and response wrapper property, e.g. `tenant`; the list one is `plural`. */
  singular: string;
  plural: string;
  records: Map<string, T>;
  /** Whether the object needs a name (webhooks have none). */
  named?: boolean;
  /** The types the stand-in relies on; a request that breaks them is refused with `[invalidJSON]`. */
  schema: z.ZodType;
  /** Fills what FusionAuth fills on create and update (ids, tenant, instants). */
  complete(input: Json & AdminObject, request: FastifyRequest, existing: T | undefined): T;
  /**
   * FusionAuth deactivates (`active: false`) instead of deleting unless asked for `hardDelete=true`,
   * as the client's `deactivateApplication` and `deleteApplication` do.
   */
  softDelete?: boolean;
  /** Throws for an object that cannot be deleted (the default tenant, say). */
  beforeDelete?(record: T): void;
  /** What else goes when the object is hard-deleted (an application's registrations, say). */
  onDelete?(record: T): void;
}

const idParams = z.object({ id: z.string() });
const deleteQuery = z.object({ hardDelete: z.string().optional() });

/**
 * Registers POST (with or without id), GET (one and all), PUT, PATCH and DELETE for an admin
 * object, each answering `{ <singular>: {...} }` or `{ <plural>: [...] }` as FusionAuth does.
 */
export function serveAdminResource<T extends AdminObject>(app: FastifyInstance, resource: AdminResource<T>): void {
  const { path, singular, plural, records } = resource;
  const bodySchema = z.object({ [singular]: z.record(z.string(), z.unknown()).optional() }).loose();

  const inputOf = (request: FastifyRequest): Record<string, unknown> => {
    const body = readBody(bodySchema, request.body);
    const input = body[singular];
    requireFields({ [singular]: input });
    return input ?? {};
  };

  const save = (input: Record<string, unknown>, request: FastifyRequest, existing: T | undefined): T => {
    if (resource.named !== false) requireFields({ [`${singular}.name`]: input['name'] });
    readBody(z.object({ [singular]: resource.schema }), { [singular]: input });
    const record = resource.complete(input as Json & AdminObject, request, existing);
    records.set(record.id, record);
    return record;
  };

  const existingOr404 = (request: FastifyRequest): T => {
    const { id } = idParams.parse(request.params);
    const record = records.get(id);
    if (!record) throw notFound();
    return record;
  };

  const create = async (request: FastifyRequest) => {
    const id = (request.params as { id?: string }).id || randomUUID();
    if (records.has(id))
      throw fieldError(`${singular}.id`, '[duplicate]', `A ${singular} with Id [${id}] already exists.`);
    return { [singular]: save({ ...inputOf(request), id }, request, undefined) };
  };

  app.post(path, create);
  app.post(`${path}/:id`, create);
  app.get(path, async () => ({ [plural]: [...records.values()] }));
  app.get(`${path}/:id`, async (request) => ({ [singular]: existingOr404(request) }));
  app.put(`${path}/:id`, async (request) => {
    const existing = existingOr404(request);
    return { [singular]: save({ ...inputOf(request), id: existing.id }, request, existing) };
  });
  app.patch(`${path}/:id`, async (request) => {
    const existing = existingOr404(request);
    return {
      [singular]: save(
        {
          ...mergePatch(
            existing as unknown as Json,
            inputOf(request),
            arrayPatchingFor(request.headers['content-type']),
          ),
          id: existing.id,
        },
        request,
        existing,
      ),
    };
  });
  app.delete(`${path}/:id`, async (request, reply) => {
    const existing = existingOr404(request);
    resource.beforeDelete?.(existing);
    if (resource.softDelete && deleteQuery.parse(request.query).hardDelete !== 'true') {
      records.set(existing.id, { ...existing, active: false });
    } else {
      records.delete(existing.id);
      resource.onDelete?.(existing);
    }
    return reply.code(200).send();
  });
}
