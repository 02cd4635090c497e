import { randomBytes } from 'node:crypto';
import {
  applicationIdByName,
  clientSecretByName,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
  type KickstartSummary,
} from '@native-login/kickstart';

/** The kickstart's ids and secrets, as the benchmark's stand-in is seeded with them. */
export async function kickstartSummary(): Promise<KickstartSummary> {
  return summarizeKickstart(
    substituteKickstart(await readKickstartFile(), { env: kickstartEnvironment({}), fusionAuthTenantId: '' }),
  );
}

/**
 * The variables of a Store in production mode against the benchmark's FusionAuth stand-in, with a
 * session secret of its own and its keys under `keyPrefix`; the caller says where Redis is.
 */
export function storeEnvironment(
  summary: KickstartSummary,
  fusionAuthUrl: string,
  keyPrefix: string,
): Record<string, string> {
  return {
    FUSIONAUTH_URL: fusionAuthUrl,
    FUSIONAUTH_API_KEY: summary.apiKey ?? '',
    FUSIONAUTH_TENANT_ID: summary.tenantId ?? '',
    STORE_APPLICATION_ID: applicationIdByName(summary, 'Store'),
    STORE_SESSION_SECRET: randomBytes(32).toString('base64url'),
    STORE_CLIENT_SECRET: clientSecretByName(summary, 'Store'),
    REDIS_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
}
