import { ExpiryUnit, type Tenant } from '@fusionauth/typescript-client';
import { defaultPasswordIterations, passwordScheme } from '../crypto/passwords.js';

/** The settings of a fresh FusionAuth's default tenant that the stand-in's behaviour depends on. */
export function defaultTenantSettings(signingKeyId: string): Tenant {
  return {
    issuer: 'acme.com',
    jwtConfiguration: {
      enabled: true,
      accessTokenKeyId: signingKeyId,
      idTokenKeyId: signingKeyId,
      timeToLiveInSeconds: 3600,
      refreshTokenTimeToLiveInMinutes: 43_200,
    },
    emailConfiguration: {
      verifyEmail: false,
    },
    failedAuthenticationConfiguration: {
      tooManyAttempts: 5,
      resetCountInSeconds: 60,
      actionDuration: 3,
      actionDurationUnit: ExpiryUnit.MINUTES,
    },
    externalIdentifierConfiguration: {
      twoFactorIdTimeToLiveInSeconds: 300,
    },
    passwordEncryptionConfiguration: {
      encryptionScheme: passwordScheme,
      encryptionSchemeFactor: defaultPasswordIterations,
    },
  };
}
