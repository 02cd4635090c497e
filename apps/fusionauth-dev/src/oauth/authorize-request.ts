import {
  GrantType,
  Oauth2AuthorizedURLValidationPolicy,
  ProofKeyForCodeExchangePolicy,
  UnknownScopePolicy,
} from '@fusionauth/typescript-client';
import type { ApplicationRecord, TenantRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { clientIdError, grantDisabledError, pkceError, promptError } from './assumptions.js';
import type { OAuthError } from './oauth-error.js';

/**
 * The parameters of `/oauth2/authorize` that the hosted pages carry from step to step as hidden
 * fields, every one whether empty or not (the theme's `oauthHiddenFields`), and `locale`, which the
 * success redirect echoes.
 */
export const carriedParameters = [
  'captcha_token',
  'client_id',
  'code_challenge',
  'dpop_jkt',
  'code_challenge_method',
  'metaData.device.name',
  'metaData.device.type',
  'nonce',
  'oauth_context',
  'max_age',
  'pendingIdPLinkId',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
  'timezone',
  'user_code',
  'locale',
] as const;

export type CarriedParameter = (typeof carriedParameters)[number];
export type CarriedParameters = Partial<Record<CarriedParameter, string>>;

/** The scopes FusionAuth knows; others follow the application's `unknownScopePolicy`. */
const knownScopes = new Set(['openid', 'offline_access', 'email', 'phone', 'profile']);
const knownPrompts = new Set(['none', 'login', 'consent', 'select_account']);

/** A query or form value: the first when a parameter is repeated, undefined when absent or not text. */
export function firstValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The carried parameters out of a query string or form body, every other field left out. */
export function carriedFrom(source: unknown): CarriedParameters {
  const fields = (source ?? {}) as Record<string, unknown>;
  const carried: CarriedParameters = {};
  for (const name of carriedParameters) {
    const value = firstValue(fields[name]);
    if (value !== undefined && value !== '') carried[name] = value;
  }
  return carried;
}

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** An authorize request that passed every check: what the login and the code are bound to. */
export interface AuthorizeRequest {
  application: ApplicationRecord;
  tenant: TenantRecord;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  prompts: Set<string>;
  /** Seconds since authentication after which the user must sign in again; 0 means `prompt=login`. */
  maxAge: number | undefined;
  responseMode: ResponseMode;
  locale: string | undefined;
  /** The parameters as given, for the hidden fields of the next page. */
  carried: CarriedParameters;
}

export type AuthorizeCheck =
  | { kind: 'error_page'; error: OAuthError }
  | {
      kind: 'error_redirect';
      redirectUri: string;
      responseMode: ResponseMode;
      state: string | undefined;
      error: OAuthError;
    }
  | { kind: 'valid'; request: AuthorizeRequest };

/** Whether a URL is one of the application's authorized redirect URLs, under its validation policy. */
export function isAuthorizedRedirect(application: ApplicationRecord, url: string): boolean {
  const oauth = application.oauthConfiguration;
  const authorized = oauth?.authorizedRedirectURLs ?? [];
  if (oauth?.authorizedURLValidationPolicy !== Oauth2AuthorizedURLValidationPolicy.AllowWildcards) {
    return authorized.includes(url);
  }
  // Only a plain URL can match a pattern: printable ASCII, no backslash, no user or password, no
  // percent-escape in its host, so that nothing a browser reads as another host gets through.
  if (!/^[\x21-\x7e]+$/.test(url) || url.includes('\\')) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.host.includes('%')) return false;
  return authorized.some((pattern) => wildcardPattern(pattern).test(url));
}

/**
 * A wildcard redirect URL as a pattern (fusionauth.io/docs/lifecycle/authenticate-users/oauth/url-validation):
 * a `*` stands for one host label in the host, digits in the port, and one path segment (or query
 * value) after it.
 */
function wildcardPattern(pattern: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const authorityStart = pattern.indexOf('://') + 3;
  const pathStart = pattern.slice(authorityStart).search(/[/?#]/);
  const authorityEnd = pathStart < 0 ? pattern.length : authorityStart + pathStart;
  const authority = pattern.slice(authorityStart, authorityEnd);
  const portStart = authority.lastIndexOf(':');
  const host = portStart < 0 ? authority : authority.slice(0, portStart);
  const port = portStart < 0 ? undefined : authority.slice(portStart + 1);
  const part = (text: string, wildcard: string) => text.split('*').map(escape).join(wildcard);
  return new RegExp(
    `^${escape(pattern.slice(0, authorityStart))}${part(host, '[A-Za-z0-9-]+')}` +
      `${port === undefined ? '' : `:${part(port, '[0-9]+')}`}${part(pattern.slice(authorityEnd), '[^/?#&]*')}$`,
  );
}

function responseModeOf(value: string | undefined): ResponseMode {
  return value === 'fragment' || value === 'form_post' ? value : 'query';
}

/**
 * Checks an authorize request in FusionAuth's order: what renders the error page first (the
 * client, the redirect URI), then what is answered by an error redirect to that URI. The order among
 * the redirect checks is unconfirmed; this is the specification's.
 */
export function checkAuthorizeRequest(store: StandInStore, carried: CarriedParameters): AuthorizeCheck {
  const clientId = carried.client_id;
  if (clientId === undefined) {
    return {
      kind: 'error_page',
      error: {
        error: clientIdError,
        error_description: 'The client_id parameter is required.',
        error_reason: 'missing_client_id',
      },
    };
  }
  const application = store.applications.get(clientId);
  const tenant = application && store.tenants.get(application.tenantId);
  if (!application || !tenant || application.active === false) {
    return {
      kind: 'error_page',
      error: {
        error: clientIdError,
        error_description: `Invalid client_id ${clientId}`,
        error_reason: 'invalid_client_id',
      },
    };
  }
  const redirectUri = carried.redirect_uri;
  if (redirectUri === undefined || !isAuthorizedRedirect(application, redirectUri)) {
    return {
      kind: 'error_page',
      error: {
        error: 'invalid_request',
        error_description: `Invalid redirect uri ${redirectUri ?? ''}`,
        error_reason: 'invalid_redirect_uri',
      },
    };
  }

  const responseMode = responseModeOf(carried.response_mode);
  const redirect = (error: OAuthError): AuthorizeCheck => ({
    kind: 'error_redirect',
    redirectUri,
    responseMode,
    state: carried.state,
    error,
  });
  const oauth = application.oauthConfiguration ?? {};

  if (carried.response_type !== 'code') {
    return redirect({
      error: 'unsupported_response_type',
      error_description: 'Parameter response_type must be set to code or token.',
      error_reason: 'invalid_response_type',
    });
  }
  if (!(oauth.enabledGrants ?? []).includes(GrantType.authorization_code)) {
    return redirect({
      error: grantDisabledError,
      error_description: 'The authorization_code grant is not enabled for this application.',
      error_reason: 'grant_type_disabled',
    });
  }

  const requested = (carried.scope ?? '').split(' ').filter((scope) => scope !== '');
  const unknown = requested.filter((scope) => !knownScopes.has(scope));
  const policy = oauth.unknownScopePolicy ?? UnknownScopePolicy.Reject;
  if (unknown.length > 0 && policy === UnknownScopePolicy.Reject) {
    return redirect({
      error: 'invalid_scope',
      error_description: `The scope [${unknown.join(' ')}] is not allowed.`,
      error_reason: 'unknown_scope',
    });
  }
  const scopes = [
    ...new Set(policy === UnknownScopePolicy.Remove ? requested.filter((scope) => knownScopes.has(scope)) : requested),
  ];

  const codeChallenge = carried.code_challenge;
  if (codeChallenge === undefined && oauth.proofKeyForCodeExchangePolicy === ProofKeyForCodeExchangePolicy.Required) {
    return redirect({
      error: pkceError,
      error_description: 'The code_challenge parameter is required.',
      error_reason: 'missing_code_challenge',
    });
  }
  // RFC 7636's default method is `plain`, which FusionAuth does not accept.
  if (codeChallenge !== undefined && carried.code_challenge_method !== 'S256') {
    return redirect({
      error: pkceError,
      error_description: 'The code_challenge_method must be S256.',
      error_reason: 'invalid_pkce_code_challenge_method',
    });
  }

  const prompts = new Set((carried.prompt ?? '').split(' ').filter((prompt) => prompt !== ''));
  if ([...prompts].some((prompt) => !knownPrompts.has(prompt)) || (prompts.has('none') && prompts.size > 1)) {
    return redirect({
      error: promptError,
      error_description: `Invalid prompt parameter [${carried.prompt ?? ''}].`,
      error_reason: 'invalid_prompt',
    });
  }
  const maxAge = carried.max_age !== undefined && /^\d+$/.test(carried.max_age) ? Number(carried.max_age) : undefined;

  return {
    kind: 'valid',
    request: {
      application,
      tenant,
      redirectUri,
      scopes,
      state: carried.state,
      nonce: carried.nonce,
      codeChallenge,
      prompts,
      maxAge,
      responseMode,
      locale: carried.locale,
      carried,
    },
  };
}
