import { z } from 'zod';

/** The grants an application can enable: the typescript client's `GrantType`, without its internal `unknown`. */
const grantTypes = [
  'authorization_code',
  'implicit',
  'password',
  'client_credentials',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;

const placeholder = /#\{[^}]+\}/;

/** An absolute http(s) URL with no query string and no fragment, or a value still holding a `#{...}`. */
function isPlainHttpUrlOrPlaceholder(value: string): boolean {
  // A placeholder's value is known only once substituted, so such a value is let through.
  if (placeholder.test(value)) return true;
  if (!URL.canParse(value) || value.includes('?') || value.includes('#')) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

const plainUrl = z
  .string()
  .refine(isPlainHttpUrlOrPlaceholder, 'an absolute http(s) URL without a query string or a fragment');

/**
 * An application's OAuth settings, as FusionAuth's `OAuth2Configuration` names them. Strict, so that
 * a misspelt property fails here rather than being dropped (or refused) by FusionAuth. Redirect and
 * logout URLs carry no query string or fragment: every registered URL must match a `redirect_uri`
 * exactly.
 */
export const kickstartOAuthConfigurationSchema = z.strictObject({
  authorizedOriginURLs: z.array(plainUrl).optional(),
  authorizedRedirectURLs: z.array(plainUrl).optional(),
  authorizedResourceUris: z.array(z.string()).optional(),
  authorizedURLValidationPolicy: z.enum(['AllowWildcards', 'ExactMatch']).optional(),
  clientAuthenticationPolicy: z.enum(['Required', 'NotRequired', 'NotRequiredWhenUsingPKCE']).optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().min(1).optional(),
  consentMode: z.enum(['AlwaysPrompt', 'RememberDecision', 'NeverPrompt']).optional(),
  debug: z.boolean().optional(),
  deviceVerificationURL: z.string().optional(),
  enabledGrants: z.array(z.enum(grantTypes)).optional(),
  generateRefreshTokens: z.boolean().optional(),
  logoutBehavior: z.enum(['RedirectOnly', 'AllApplications']).optional(),
  logoutURL: plainUrl.optional(),
  proofKeyForCodeExchangePolicy: z
    .enum(['Required', 'NotRequired', 'NotRequiredWhenUsingClientAuthentication'])
    .optional(),
  providedScopePolicy: z.record(z.string(), z.unknown()).optional(),
  relationship: z.enum(['FirstParty', 'ThirdParty']).optional(),
  requireClientAuthentication: z.boolean().optional(),
  requireRegistration: z.boolean().optional(),
  scopeHandlingPolicy: z.enum(['Compatibility', 'Strict']).optional(),
  unknownScopePolicy: z.enum(['Allow', 'Remove', 'Reject']).optional(),
});

/** The body of an Application API request: only its OAuth settings are checked here. */
const applicationRequestBodySchema = z
  .object({
    application: z.object({ oauthConfiguration: kickstartOAuthConfigurationSchema.optional() }).loose().optional(),
  })
  .loose();

const applicationUrl = /^\/api\/application(?:\/[^/?]+)?$/;

/**
 * The shape of a FusionAuth kickstart file, as FusionAuth documents it:
 * https://fusionauth.io/docs/get-started/download-and-install/development/kickstart
 */
export const kickstartRequestSchema = z
  .object({
    // FusionAuth runs only these methods from a kickstart.
    method: z.enum(['POST', 'PUT', 'PATCH']),
    url: z.string().startsWith('/api/', 'a kickstart request URL starts with /api/'),
    tenantId: z.string().optional(),
    /** e.g. `application/merge-patch+json` for a PATCH that replaces arrays instead of appending. */
    contentType: z.string().optional(),
    body: z.unknown().optional(),
  })
  .superRefine((request, context) => {
    // Request bodies are FusionAuth's to check, except the settings the apps are wired to.
    if (!applicationUrl.test(request.url)) return;
    const body = applicationRequestBodySchema.safeParse(request.body ?? {});
    for (const issue of body.error?.issues ?? []) {
      context.addIssue({ code: 'custom', message: issue.message, path: ['body', ...issue.path] });
    }
  });

export const kickstartApiKeySchema = z.object({
  key: z.string().min(1),
  description: z.string().optional(),
  tenantId: z.string().optional(),
});

export const kickstartSchema = z.object({
  variables: z.record(z.string(), z.string()).default({}),
  apiKeys: z.array(kickstartApiKeySchema).default([]),
  requests: z.array(kickstartRequestSchema).default([]),
});

export type KickstartRequest = z.infer<typeof kickstartRequestSchema>;
export type KickstartApiKey = z.infer<typeof kickstartApiKeySchema>;
export type KickstartOAuthConfiguration = z.infer<typeof kickstartOAuthConfigurationSchema>;
export type Kickstart = z.infer<typeof kickstartSchema>;
