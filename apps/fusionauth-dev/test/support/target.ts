import { FusionAuthClient } from '@fusionauth/typescript-client';
import {
  applicationIdByName,
  clientSecretByName,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
  type Kickstart,
} from '@native-login/kickstart';
import type { Test } from 'tap';
import { buildStandIn } from '../../src/index.js';

/**
 * What a contract test talks to: the stand-in, started here on a free port and seeded from the
 * project's kickstart, or a real FusionAuth when FUSIONAUTH_URL and FUSIONAUTH_API_KEY name one that
 * was started from the same kickstart (see the README). Tests reach it only through the official
 * client, so the same assertions hold for both.
 */
export interface ContractTarget {
  url: string;
  apiKey: string;
  tenantId: string;
  storeApplicationId: string;
  forumApplicationId: string;
  /** The applications' OAuth client secrets (their client ids are the application ids). */
  storeClientSecret: string;
  forumClientSecret: string;
  /** The client as the backends build it: API key and tenant id. */
  client: FusionAuthClient;
  isStandIn: boolean;
  /** The default tenant's issuer: what tokens, the authorize redirect's `iss` and discovery carry. */
  issuer: string;
  /**
   * The apps' origins the kickstart registered (their redirect and logout URLs): against a real
   * FusionAuth, STORE_ORIGIN and FORUM_ORIGIN as it was started with; unset, the development ones.
   */
  storeOrigin: string;
  forumOrigin: string;
}

export interface ContractTargetOptions {
  /**
   * Make the default tenant's issuer the address the target is reached at. An OpenID Connect
   * relying party (openid-client) requires discovery's `issuer` to be the URL it discovered from,
   * and the stand-in listens on a free port, not on the kickstart's http://localhost:9011; so the
   * stand-in's tenant is patched, as any test that runs it on another address must. A real
   * FusionAuth is left alone: reached at its issuer, it already holds.
   */
  issuerAtUrl?: boolean;
}

/** A client for the target with another API key, or none at all (`null`). */
export function clientWithApiKey(target: ContractTarget, apiKey: string | null): FusionAuthClient {
  // The constructor types the key as a string, but the client sends no Authorization header for null.
  return new FusionAuthClient(apiKey as string, target.url, target.tenantId);
}

/** Low PBKDF2 cost so that logins in tests take microseconds, not tens of milliseconds. */
export const testPasswordIterations = 1_000;

function realFusionAuth(): { url: string; apiKey: string } | undefined {
  const url = process.env['FUSIONAUTH_URL'];
  const apiKey = process.env['FUSIONAUTH_API_KEY'];
  return url && apiKey ? { url, apiKey } : undefined;
}

export async function contractTarget(t: Test, options: ContractTargetOptions = {}): Promise<ContractTarget> {
  const kickstart: Kickstart = await readKickstartFile();
  const real = realFusionAuth();
  let url: string;
  let apiKey: string;
  let seeded: Kickstart;
  const environment = kickstartEnvironment(real ? process.env : {});
  if (real) {
    ({ url, apiKey } = real);
    seeded = substituteKickstart(kickstart, { env: environment, fusionAuthTenantId: 'unused' });
  } else {
    const app = await buildStandIn({ kickstart, passwordHashIterations: testPasswordIterations });
    t.teardown(() => app.close());
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    seeded = app.standIn.kickstart ?? kickstart;
    apiKey = summarizeKickstart(seeded).apiKey ?? '';
  }
  const summary = summarizeKickstart(seeded);
  const tenantId = process.env['FUSIONAUTH_TENANT_ID'] ?? summary.tenantId ?? '';
  const client = new FusionAuthClient(apiKey, url, tenantId);
  if (options.issuerAtUrl && !real) await client.patchTenant(tenantId, { tenant: { issuer: url } });
  const tenant = await client.retrieveTenant(tenantId);
  return {
    url,
    apiKey,
    tenantId,
    storeApplicationId: applicationIdByName(summary, 'Store'),
    forumApplicationId: applicationIdByName(summary, 'Forum'),
    storeClientSecret: clientSecretByName(summary, 'Store'),
    forumClientSecret: clientSecretByName(summary, 'Forum'),
    client,
    isStandIn: !real,
    issuer: tenant.response.tenant?.issuer ?? '',
    storeOrigin: environment['STORE_ORIGIN'] ?? '',
    forumOrigin: environment['FORUM_ORIGIN'] ?? '',
  };
}
