import { z } from 'zod';
import { defaultKickstartPath } from '@native-login/kickstart';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const environment = z.object({
  FUSIONAUTH_DEV_HOST: z.string().min(1).default('127.0.0.1'),
  FUSIONAUTH_DEV_PORT: z.coerce.number().int().min(0).max(65_535).default(9011),
  FUSIONAUTH_DEV_KICKSTART: z.string().min(1).default(defaultKickstartPath),
  /** Start like a fresh FusionAuth, with no kickstart run. */
  FUSIONAUTH_DEV_EMPTY: flag.default(false),
  /** PBKDF2 iterations for every tenant; unset, each tenant's own factor (24,000 by default) applies. */
  FUSIONAUTH_DEV_PASSWORD_ITERATIONS: z.coerce.number().int().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type StandInConfig = z.infer<typeof environment>;

/** The environment variables the stand-in reads. */
export const standInVariables = Object.keys(environment.shape);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the stand-in's settings from the environment; the error names the variable at fault. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): StandInConfig {
  const parsed = environment.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`${issue?.path.join('.')}: ${issue?.message}`);
}
