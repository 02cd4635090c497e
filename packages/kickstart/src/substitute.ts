import { randomUUID } from 'node:crypto';
import type { Kickstart } from './schema.js';

/** The fixed id FusionAuth gives its own admin application on every instance. */
export const fusionAuthApplicationId = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/** What FusionAuth knows when it runs a kickstart, beyond the file's own variables. */
export interface SubstitutionContext {
  /** Looked up by `#{ENV.NAME}`. */
  env: Readonly<Record<string, string | undefined>>;
  /** `#{FUSIONAUTH_TENANT_ID}`: the default tenant's id, unless the file fixes it as `defaultTenantId`. */
  fusionAuthTenantId: string;
}

export class KickstartSubstitutionError extends Error {
  override name = 'KickstartSubstitutionError';
}

const placeholder = /#\{([^}]+)\}/g;

function replacePlaceholders(text: string, lookup: (name: string) => string): string {
  return text.replace(placeholder, (_match, name: string) => lookup(name.trim()));
}

/**
 * Resolves every `#{...}` in a kickstart: first the variables (in file order, so a variable may use
 * an earlier one or `#{UUID()}`, which is then fixed for the whole file), then the API keys and
 * requests. The walk goes over parsed JSON rather than the raw text so that a substituted value can
 * never break the file's JSON structure.
 */
export function substituteKickstart(kickstart: Kickstart, context: SubstitutionContext): Kickstart {
  const variables: Record<string, string> = {};

  const lookup = (name: string): string => {
    if (name === 'UUID()') return randomUUID();
    if (name === 'FUSIONAUTH_APPLICATION_ID') return fusionAuthApplicationId;
    if (name === 'FUSIONAUTH_TENANT_ID') return variables['defaultTenantId'] ?? context.fusionAuthTenantId;
    if (name.startsWith('ENV.')) {
      const value = context.env[name.slice('ENV.'.length)];
      if (value === undefined) {
        throw new KickstartSubstitutionError(`#{${name}} names an environment variable that is not set`);
      }
      return value;
    }
    const value = variables[name];
    if (value === undefined) throw new KickstartSubstitutionError(`#{${name}} is not a kickstart variable`);
    return value;
  };

  for (const [name, value] of Object.entries(kickstart.variables)) {
    variables[name] = replacePlaceholders(value, lookup);
  }

  const substitute = (value: unknown): unknown => {
    if (typeof value === 'string') return replacePlaceholders(value, lookup);
    if (Array.isArray(value)) return value.map(substitute);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, substitute(inner)]));
    }
    return value;
  };

  return {
    variables,
    apiKeys: kickstart.apiKeys.map((apiKey) => substitute(apiKey) as Kickstart['apiKeys'][number]),
    requests: kickstart.requests.map((request) => substitute(request) as Kickstart['requests'][number]),
  };
}
