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
import type { FastifyInstance } from 'fastify';
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

/** Where a target is reached; the API key and tenant id, when not given, are the seeded kickstart's. */
interface Reached {
  url: string;
  apiKey?: string | undefined;
  tenantId?: string | undefined;
  isStandIn: boolean;
}

/** The target as the tests see it: the ids of the kickstart it was seeded from, its tenant's issuer. */
async function describeTarget(
  reached: Reached,
  seeded: Kickstart,
  environment: ReturnType<typeof kickstartEnvironment>,
  options: ContractTargetOptions,
): Promise<ContractTarget> {
  const { url, isStandIn } = reached;
  const summary = summarizeKickstart(seeded);
  const apiKey = reached.apiKey ?? summary.apiKey ?? '';
  const tenantId = reached.tenantId ?? summary.tenantId ?? '';
  const client = new FusionAuthClient(apiKey, url, tenantId);
  if (options.issuerAtUrl && isStandIn) await client.patchTenant(tenantId, { tenant: { issuer: url } });
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
    isStandIn,
    issuer: tenant.response.tenant?.issuer ?? '',
    storeOrigin: environment['STORE_ORIGIN'] ?? '',
    forumOrigin: environment['FORUM_ORIGIN'] ?? '',
  };
}

export interface StandInTarget {
  /** The stand-in itself, for what FusionAuth's API does not show: its store, its seeded kickstart. */
  app: FastifyInstance;
  target: ContractTarget;
}

/**
 * The stand-in as a contract target, whatever the environment names: for the tests of the
 * stand-in's own behaviour, which also look into its store. It listens, on a free port, because
 * the browser and the official client speak HTTP; it is closed after the test.
 */
export async function standInTarget(t: Test, options: ContractTargetOptions = {}): Promise<StandInTarget> {
  const kickstart = await readKickstartFile();
  const app = await buildStandIn({ kickstart, passwordHashIterations: testPasswordIterations });
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // Started without `env`, the stand-in reads the kickstart's #{ENV.…} as the development stack's.
  const environment = kickstartEnvironment({});
  const seeded = app.standIn.kickstart ?? kickstart;
  return { app, target: await describeTarget({ url, isStandIn: true }, seeded, environment, options) };
}

/** The target the environment names (see ContractTarget). */
export async function contractTarget(t: Test, options: ContractTargetOptions = {}): Promise<ContractTarget> {
  const real = realFusionAuth();
  if (!real) return (await standInTarget(t, options)).target;
  const environment = kickstartEnvironment(process.env);
  const seeded = substituteKickstart(await readKickstartFile(), { env: environment, fusionAuthTenantId: 'unused' });
  const reached = { ...real, tenantId: process.env['FUSIONAUTH_TENANT_ID'], isStandIn: false };
  return describeTarget(reached, seeded, environment, options);
}
