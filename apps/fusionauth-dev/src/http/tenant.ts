import type { FastifyRequest } from 'fastify';
import type { TenantRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { generalError } from './api-error.js';

/**
 * The tenant a request is pinned to, by the `X-FusionAuth-TenantId` header or a tenant-scoped API
 * key; objects of other tenants are invisible to it (404), as in FusionAuth.
 */
export function pinnedTenantId(request: FastifyRequest): string | undefined {
  const header = request.headers['x-fusionauth-tenantid'];
  return (typeof header === 'string' && header !== '' ? header : undefined) ?? request.apiKey?.tenantId;
}

/** Whether an object of this tenant is visible to the request. */
export function visibleTo(request: FastifyRequest, tenantId: string): boolean {
  const pinned = pinnedTenantId(request);
  return pinned === undefined || pinned === tenantId;
}

/**
 * The tenant a request acts on, in FusionAuth's order: the `X-FusionAuth-TenantId` header, the
 * tenant of a tenant-scoped API key, the tenant of the object the request names (an application),
 * and the only tenant when there is just one.
 */
export function resolveTenant(request: FastifyRequest, store: StandInStore, impliedTenantId?: string): TenantRecord {
  const header = request.headers['x-fusionauth-tenantid'];
  const requested = typeof header === 'string' && header !== '' ? header : undefined;
  const scoped = request.apiKey?.tenantId;
  if (requested && scoped && requested !== scoped) {
    throw generalError('[TenantIdMismatch]', 'The API key is scoped to a different tenant than the one requested.');
  }
  const tenantId =
    requested ?? scoped ?? impliedTenantId ?? (store.tenants.size === 1 ? store.defaultTenantId : undefined);
  if (tenantId === undefined) {
    throw generalError(
      '[TenantIdRequired]',
      'A tenant Id is required when more than one tenant exists. Send it in the X-FusionAuth-TenantId header.',
    );
  }
  const tenant = store.tenants.get(tenantId);
  if (!tenant) throw generalError('[InvalidTenantId]', `The tenant Id [${tenantId}] is not valid.`);
  return tenant;
}
