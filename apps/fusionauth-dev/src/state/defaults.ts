import {
  ClientAuthenticationPolicy,
  ExpiryUnit,
  LogoutBehavior,
  Oauth2AuthorizedURLValidationPolicy,
  OAuthApplicationRelationship,
  OAuthScopeConsentMode,
  OAuthScopeHandlingPolicy,
  ProofKeyForCodeExchangePolicy,
  UnknownScopePolicy,
  UnverifiedBehavior,
  type OAuth2Configuration,
  type Tenant,
} from '@fusionauth/typescript-client';
import { defaultPasswordIterations, passwordScheme } from '../crypto/passwords.js';
import { defaultEnabledGrants } from '../oauth/assumptions.js';

/** The settings of a fresh FusionAuth's default tenant that the stand-in's behaviour depends on. */
export function defaultTenantSettings(signingKeyId: string): Tenant {
  return {
    // Not a URL, so OpenID Connect clients refuse it (FusionAuth/fusionauth-issues#343): the kickstart sets one.
    issuer: 'acme.com',
    // The SSO session's idle lifetime, in seconds.
    httpSessionMaxInactiveInterval: 3600,
    jwtConfiguration: {
      enabled: true,
      accessTokenKeyId: signingKeyId,
      idTokenKeyId: signingKeyId,
      timeToLiveInSeconds: 3600,
      refreshTokenTimeToLiveInMinutes: 43_200,
    },
    emailConfiguration: {
      // A fresh FusionAuth's SMTP settings; the stand-in delivers nothing, it keeps the emails (/dev/mailbox).
      host: 'localhost',
      port: 25,
      verifyEmail: false,
      implicitEmailVerificationAllowed: true,
      unverified: { behavior: UnverifiedBehavior.Allow },
    },
    // FusionAuth's defaults (its admin UI shows them on a new tenant). Breached-password detection
    // is an Enterprise feature: the Community edition refuses to enable it and never checks.
    passwordValidationRules: {
      minLength: 8,
      maxLength: 256,
      requireMixedCase: false,
      requireNonAlpha: false,
      requireNumber: false,
      rememberPreviousPasswords: { enabled: false, count: 1 },
      breachDetection: { enabled: false },
    },
    failedAuthenticationConfiguration: {
      tooManyAttempts: 5,
      resetCountInSeconds: 60,
      actionDuration: 3,
      actionDurationUnit: ExpiryUnit.MINUTES,
    },
    externalIdentifierConfiguration: {
      authorizationGrantIdTimeToLiveInSeconds: 30,
      changePasswordIdTimeToLiveInSeconds: 600,
      emailVerificationIdTimeToLiveInSeconds: 86_400,
      oneTimePasswordTimeToLiveInSeconds: 60,
      setupPasswordIdTimeToLiveInSeconds: 86_400,
      twoFactorIdTimeToLiveInSeconds: 300,
      twoFactorTrustIdTimeToLiveInSeconds: 2_592_000,
    },
    ssoConfiguration: {
      allowAccessTokenBootstrap: false,
      deviceTrustTimeToLiveInSeconds: 365 * 24 * 60 * 60,
    },
    passwordEncryptionConfiguration: {
      encryptionScheme: passwordScheme,
      encryptionSchemeFactor: defaultPasswordIterations,
    },
  };
}

/**
 * An application's `oauthConfiguration` where a request leaves it, or part of it, out: the defaults
 * of FusionAuth's `OAuth2Configuration` (fusionauth-java-client `io.fusionauth.domain.oauth2`). The
 * client id and secret are per application; `logoutURL` has no default.
 */
export function defaultOAuthConfiguration(): OAuth2Configuration {
  return {
    authorizedOriginURLs: [],
    authorizedRedirectURLs: [],
    authorizedURLValidationPolicy: Oauth2AuthorizedURLValidationPolicy.ExactMatch,
    clientAuthenticationPolicy: ClientAuthenticationPolicy.Required,
    consentMode: OAuthScopeConsentMode.AlwaysPrompt,
    enabledGrants: [...defaultEnabledGrants],
    generateRefreshTokens: false,
    logoutBehavior: LogoutBehavior.AllApplications,
    proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.NotRequired,
    relationship: OAuthApplicationRelationship.FirstParty,
    requireRegistration: false,
    scopeHandlingPolicy: OAuthScopeHandlingPolicy.Strict,
    unknownScopePolicy: UnknownScopePolicy.Reject,
  };
}
