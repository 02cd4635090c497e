import {
  ClientAuthenticationPolicy,
  ExpiryUnit,
  GrantType,
  LogoutBehavior,
  MultiFactorLoginPolicy,
  Oauth2AuthorizedURLValidationPolicy,
  OAuthApplicationRelationship,
  OAuthScopeConsentMode,
  OAuthScopeHandlingPolicy,
  ProofKeyForCodeExchangePolicy,
  UnknownScopePolicy,
  UnverifiedBehavior,
} from '@fusionauth/typescript-client';
import { z } from 'zod';

/**
 * The shape of the admin-object settings the stand-in acts on. Other properties are kept as given
 * (`loose`), but these must have the types FusionAuth's JSON binding would demand, so that no
 * stored setting can later break a login.
 */
const count = z.number().int().positive().optional();
const flag = z.boolean().optional();
const id = z.string().optional();

const jwtConfiguration = z
  .object({
    enabled: flag,
    accessTokenKeyId: id,
    idTokenKeyId: id,
    timeToLiveInSeconds: count,
    refreshTokenTimeToLiveInMinutes: count,
  })
  .loose();

const unverified = z.object({ behavior: z.enum(UnverifiedBehavior).optional() }).loose();

const urls = z.array(z.string()).optional();

/** `application.oauthConfiguration`: the settings the OAuth endpoints will act on. */
const oauthConfiguration = z
  .object({
    authorizedOriginURLs: urls,
    authorizedRedirectURLs: urls,
    authorizedURLValidationPolicy: z.enum(Oauth2AuthorizedURLValidationPolicy).optional(),
    clientAuthenticationPolicy: z.enum(ClientAuthenticationPolicy).optional(),
    clientId: id,
    clientSecret: z.string().optional(),
    consentMode: z.enum(OAuthScopeConsentMode).optional(),
    enabledGrants: z.array(z.enum(GrantType)).optional(),
    generateRefreshTokens: flag,
    logoutBehavior: z.enum(LogoutBehavior).optional(),
    logoutURL: z.string().optional(),
    proofKeyForCodeExchangePolicy: z.enum(ProofKeyForCodeExchangePolicy).optional(),
    relationship: z.enum(OAuthApplicationRelationship).optional(),
    requireRegistration: flag,
    scopeHandlingPolicy: z.enum(OAuthScopeHandlingPolicy).optional(),
    unknownScopePolicy: z.enum(UnknownScopePolicy).optional(),
  })
  .loose();

export const tenantSettings = z
  .object({
    name: z.string(),
    issuer: z.string().optional(),
    baseURL: z.string().optional(),
    httpSessionMaxInactiveInterval: count,
    jwtConfiguration: jwtConfiguration.optional(),
    loginConfiguration: z.object({ requireAuthentication: flag }).loose().optional(),
    emailConfiguration: z
      .object({
        verifyEmail: flag,
        implicitEmailVerificationAllowed: flag,
        verificationEmailTemplateId: id,
        forgotPasswordEmailTemplateId: id,
        setPasswordEmailTemplateId: id,
        defaultFromEmail: z.string().optional(),
        defaultFromName: z.string().optional(),
        unverified: unverified.optional(),
      })
      .loose()
      .optional(),
    passwordValidationRules: z
      .object({
        minLength: count,
        maxLength: count,
        requireMixedCase: flag,
        requireNonAlpha: flag,
        requireNumber: flag,
        rememberPreviousPasswords: z
          .object({ enabled: flag, count: z.number().int().min(1).max(20).optional() })
          .loose()
          .optional(),
        breachDetection: z.object({ enabled: flag }).loose().optional(),
      })
      .loose()
      .optional(),
    failedAuthenticationConfiguration: z
      .object({
        tooManyAttempts: count,
        resetCountInSeconds: count,
        actionDuration: count,
        actionDurationUnit: z.enum(ExpiryUnit).optional(),
        userActionId: id,
      })
      .loose()
      .optional(),
    externalIdentifierConfiguration: z
      .object({
        authorizationGrantIdTimeToLiveInSeconds: count,
        changePasswordIdTimeToLiveInSeconds: count,
        emailVerificationIdTimeToLiveInSeconds: count,
        oneTimePasswordTimeToLiveInSeconds: count,
        setupPasswordIdTimeToLiveInSeconds: count,
        twoFactorIdTimeToLiveInSeconds: count,
      })
      .loose()
      .optional(),
    multiFactorConfiguration: z
      .object({ loginPolicy: z.enum(MultiFactorLoginPolicy).optional() })
      .loose()
      .optional(),
    passwordEncryptionConfiguration: z.object({ encryptionSchemeFactor: count }).loose().optional(),
    ssoConfiguration: z
      .object({ allowAccessTokenBootstrap: flag, deviceTrustTimeToLiveInSeconds: count })
      .loose()
      .optional(),
    eventConfiguration: z
      .object({ events: z.record(z.string(), z.object({ enabled: flag }).loose()).optional() })
      .loose()
      .optional(),
  })
  .loose();

export const applicationSettings = z
  .object({
    name: z.string(),
    active: flag,
    baseURL: z.string().optional(),
    verifyRegistration: flag,
    verificationEmailTemplateId: id,
    unverified: unverified.optional(),
    roles: z.array(z.object({ name: z.string().min(1), id, isDefault: flag, isSuperRole: flag }).loose()).optional(),
    loginConfiguration: z
      .object({ requireAuthentication: flag, generateRefreshTokens: flag, allowTokenRefresh: flag })
      .loose()
      .optional(),
    jwtConfiguration: jwtConfiguration.optional(),
    oauthConfiguration: oauthConfiguration.optional(),
  })
  .loose();

export const userActionSettings = z.object({ name: z.string(), preventLogin: flag, temporal: flag }).loose();

export const emailTemplateSettings = z
  .object({
    name: z.string(),
    defaultSubject: z.string().optional(),
    defaultHtmlTemplate: z.string().optional(),
    defaultTextTemplate: z.string().optional(),
    defaultFromName: z.string().optional(),
    fromEmail: z.string().optional(),
  })
  .loose();

export const webhookSettings = z
  .object({
    url: z.url({ protocol: /^https?$/ }).optional(),
    global: flag,
    tenantIds: z.array(z.string()).optional(),
    eventsEnabled: z.record(z.string(), z.boolean()).optional(),
    signatureConfiguration: z.object({ enabled: flag, signingKeyId: id }).loose().optional(),
  })
  .loose();
