import { randomBytes } from 'node:crypto';
import { loadAppConfig, type AppConfig, type AppPrefix } from '@native-login/session-login';
import type { RunningStandIn } from './stand-in.js';

/** The environment an app would be started with in these tests; `overrides` wins. */
export function testEnvironment(
  prefix: AppPrefix,
  standIn: RunningStandIn,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    FUSIONAUTH_URL: standIn.url,
    FUSIONAUTH_API_KEY: standIn.apiKey,
    FUSIONAUTH_TENANT_ID: standIn.tenantId,
    FUSIONAUTH_TIMEOUT_MS: '2000',
    [`${prefix}_APPLICATION_ID`]: prefix === 'STORE' ? standIn.storeApplicationId : standIn.forumApplicationId,
    [`${prefix}_SESSION_SECRET`]: randomBytes(32).toString('base64url'),
    // Used only where a test offers the oauth flow (`<APP>_LOGIN_FLOWS`).
    [`${prefix}_CLIENT_SECRET`]: prefix === 'STORE' ? standIn.storeClientSecret : standIn.forumClientSecret,
    LOG_LEVEL: 'silent',
    // Tests fail many sign-ins on purpose; the throttle has tests of its own with low limits.
    LOGIN_ATTEMPTS_PER_IP: '10000',
    LOGIN_ATTEMPTS_PER_ACCOUNT: '10000',
    LOGIN_STARTS_PER_IP: '10000',
    ...overrides,
  };
}

export function testConfig(
  prefix: AppPrefix,
  standIn: RunningStandIn,
  overrides: Record<string, string | undefined> = {},
): AppConfig {
  return loadAppConfig(prefix, testEnvironment(prefix, standIn, overrides));
}
