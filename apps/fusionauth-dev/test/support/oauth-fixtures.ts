import { randomUUID } from 'node:crypto';
import {
  ClientAuthenticationPolicy,
  FusionAuthClient,
  GrantType,
  LogoutBehavior,
  Oauth2AuthorizedURLValidationPolicy,
  OAuthScopeHandlingPolicy,
  ProofKeyForCodeExchangePolicy,
  UnknownScopePolicy,
  type OAuth2Configuration,
  type Tenant,
  type User,
} from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import type { OAuthApp } from './oauth-flow.js';
import type { ContractTarget } from './target.js';

/** The Store's signing key: test tenants and applications sign with it, so the JWKS has their key. */
async function storeSigningKeyId(target: ContractTarget): Promise<string> {
  const store = await target.client.retrieveApplication(target.storeApplicationId);
  return store.response.application?.jwtConfiguration?.accessTokenKeyId ?? '';
}

export interface TemporaryTenant {
  id: string;
  /** The client scoped to this tenant (API key and tenant id), for its applications and users. */
  client: FusionAuthClient;
}

/**
 * A tenant made for one test (the target's issuer unless told otherwise) and deleted after it,
 * with whatever settings the case needs: a short SSO lifetime, a one-second code.
 */
export async function temporaryTenant(
  t: Test,
  target: ContractTarget,
  tenant: Partial<Tenant> = {},
): Promise<TemporaryTenant> {
  const id = randomUUID();
  const keyId = await storeSigningKeyId(target);
  // A tenant is created outside any tenant: no X-FusionAuth-TenantId header.
  const untenanted = new FusionAuthClient(target.apiKey, target.url);
  t.teardown(async () => {
    await untenanted.deleteTenant(id).catch(() => undefined);
  });
  await untenanted.createTenant(id, {
    tenant: {
      name: `contract oauth ${id}`,
      issuer: target.issuer,
      jwtConfiguration: { accessTokenKeyId: keyId, idTokenKeyId: keyId },
      ...tenant,
    },
  });
  return { id, client: new FusionAuthClient(target.apiKey, target.url, id) };
}

export interface TemporaryOAuthApp extends OAuthApp {
  /** The registered redirect URLs' origin: `${origin}/` is registered too, for logout. */
  origin: string;
  logoutUrl: string;
}

/**
 * An application made for one test, with the kickstart's OAuth settings
 * unless `oauthConfiguration` overrides some, on an origin of its own; deleted after the test.
 */
export async function temporaryOAuthApp(
  t: Test,
  target: ContractTarget,
  options: { client?: FusionAuthClient; oauthConfiguration?: Partial<OAuth2Configuration> } = {},
): Promise<TemporaryOAuthApp> {
  const client = options.client ?? target.client;
  const id = randomUUID();
  const origin = `https://app-${id}.example.com`;
  const keyId = await storeSigningKeyId(target);
  const oauthConfiguration: OAuth2Configuration = {
    clientSecret: `contract-secret-${randomUUID()}`,
    authorizedURLValidationPolicy: Oauth2AuthorizedURLValidationPolicy.ExactMatch,
    authorizedRedirectURLs: [`${origin}/api/oauth/callback`, `${origin}/`],
    logoutURL: `${origin}/api/oauth/frontchannel-logout`,
    logoutBehavior: LogoutBehavior.AllApplications,
    enabledGrants: [GrantType.authorization_code, GrantType.refresh_token],
    generateRefreshTokens: true,
    clientAuthenticationPolicy: ClientAuthenticationPolicy.Required,
    proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.Required,
    requireRegistration: true,
    scopeHandlingPolicy: OAuthScopeHandlingPolicy.Strict,
    unknownScopePolicy: UnknownScopePolicy.Reject,
    ...options.oauthConfiguration,
  };
  t.teardown(async () => {
    await client.deleteApplication(id).catch(() => undefined);
  });
  await client.createApplication(id, {
    application: {
      name: `contract oauth ${id}`,
      roles: [{ name: 'member', isDefault: true }],
      loginConfiguration: { requireAuthentication: true, generateRefreshTokens: true, allowTokenRefresh: false },
      jwtConfiguration: {
        enabled: true,
        accessTokenKeyId: keyId,
        idTokenKeyId: keyId,
        timeToLiveInSeconds: 300,
        refreshTokenTimeToLiveInMinutes: 60,
      },
      oauthConfiguration,
    },
  });
  return {
    clientId: id,
    clientSecret: oauthConfiguration.clientSecret ?? '',
    redirectUri: `${origin}/api/oauth/callback`,
    origin,
    logoutUrl: oauthConfiguration.logoutURL ?? '',
  };
}

export interface OAuthUser {
  id: string;
  email: string;
  password: string;
}

/**
 * A user made for one test, registered for each of `applicationIds` (none: registered nowhere),
 * email verified, hard-deleted after the test, so that lockouts, SSO sessions and password changes
 * never touch the demo users.
 */
export async function oauthUser(
  t: Test,
  client: FusionAuthClient,
  options: { applicationIds: string[]; user?: Partial<User> },
): Promise<OAuthUser> {
  const id = randomUUID();
  const email = `contract-${id}@example.com`;
  const password = `pw-${randomUUID()}`;
  t.teardown(async () => {
    await client.deleteUser(id).catch(() => undefined);
  });
  await client.createUser(id, {
    user: { email, password, firstName: 'Contract', lastName: 'Test', fullName: 'Contract Test', ...options.user },
    skipVerification: true,
  });
  for (const applicationId of options.applicationIds) {
    await client.register(id, { registration: { applicationId }, skipRegistrationVerification: true });
  }
  return { id, email, password };
}
