import { z } from 'zod';

/** A problem with the configuration, reported at start-up without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An error message that tells a missing variable from a wrong one. */
export const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

export const uuid = () => z.uuid(required('a UUID'));

export const whole = (minimum: number, fallback: number) =>
  z.coerce
    .number(required('a whole number'))
    .int(`must be a whole number`)
    .min(minimum, `must be at least ${minimum}`)
    .default(fallback);

export const httpUrl = () =>
  z.url({ ...required('an http(s) URL'), protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ''));

/** `true` or `false` (also 1/0, yes/no). */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: () => 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');
