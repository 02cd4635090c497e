import type { Kickstart } from './schema.js';
import { fusionAuthApplicationId } from './substitute.js';

export interface KickstartApplication {
  id: string;
  name: string;
  /** `oauthConfiguration.clientSecret`; the OAuth client id is the application id. */
  clientSecret: string | undefined;
}

export interface KickstartUser {
  email: string;
  password: string | undefined;
  /** Names of the applications the kickstart registers this user for. */
  applications: string[];
}

/** The ids, client secrets and logins a substituted kickstart defines, for printing and for wiring the apps. */
export interface KickstartSummary {
  apiKey: string | undefined;
  tenantId: string | undefined;
  applications: KickstartApplication[];
  users: KickstartUser[];
}

const applicationUrl = /^\/api\/application\/([^/?]+)$/;
// /api/user, /api/user/{id}, /api/user/registration and /api/user/registration/{id}; not /api/user/action.
const userUrl = /^\/api\/user(?:\/registration)?(?:\/([0-9a-fA-F-]{36}))?$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function summarizeKickstart(kickstart: Kickstart): KickstartSummary {
  const applications: KickstartApplication[] = [];
  // FusionAuth's own application exists before the kickstart runs; users may be registered for it.
  const knownApplications: Array<Pick<KickstartApplication, 'id' | 'name'>> = [
    { id: fusionAuthApplicationId, name: 'FusionAuth' },
  ];
  const usersById = new Map<string, KickstartUser>();
  const users: KickstartUser[] = [];

  for (const request of kickstart.requests) {
    if (request.method !== 'POST' && request.method !== 'PUT') continue;
    const body = record(request.body);

    const applicationMatch = applicationUrl.exec(request.url);
    const application = record(body?.['application']);
    const applicationName = text(application?.['name']);
    if (applicationMatch?.[1] && applicationName) {
      const clientSecret = text(record(application?.['oauthConfiguration'])?.['clientSecret']);
      applications.push({ id: applicationMatch[1], name: applicationName, clientSecret });
      continue;
    }

    const userMatch = userUrl.exec(request.url);
    if (!userMatch) continue;
    const userId = userMatch[1] ?? text(record(body?.['user'])?.['id']);
    const userBody = record(body?.['user']);
    const email = text(userBody?.['email']);
    let user = userId ? usersById.get(userId) : undefined;
    if (!user && email) {
      user = { email, password: text(userBody?.['password']), applications: [] };
      users.push(user);
      if (userId) usersById.set(userId, user);
    }
    const registeredFor = text(record(body?.['registration'])?.['applicationId']);
    const registeredName = [...knownApplications, ...applications].find(
      (candidate) => candidate.id === registeredFor,
    )?.name;
    if (user && registeredName) user.applications.push(registeredName);
  }

  return {
    apiKey: kickstart.apiKeys[0]?.key,
    tenantId: kickstart.variables['defaultTenantId'],
    applications,
    users,
  };
}

function applicationByName(summary: KickstartSummary, name: string): KickstartApplication {
  const application = summary.applications.find((candidate) => candidate.name === name);
  if (!application) throw new Error(`the kickstart defines no application named ${name}`);
  return application;
}

/** The id of the kickstart's application with this name; throws when there is none. */
export function applicationIdByName(summary: KickstartSummary, name: string): string {
  return applicationByName(summary, name).id;
}

/** The OAuth client secret of the kickstart's application with this name; throws when it sets none. */
export function clientSecretByName(summary: KickstartSummary, name: string): string {
  const { clientSecret } = applicationByName(summary, name);
  if (clientSecret === undefined) throw new Error(`the kickstart sets no client secret for the application ${name}`);
  return clientSecret;
}
