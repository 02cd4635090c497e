import { randomBytes } from 'node:crypto';
import { buildStandIn, readConfig as readStandInConfig } from '@native-login/fusionauth-dev';
import {
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
  applicationIdByName,
  type KickstartSummary,
} from '@native-login/kickstart';
import { forumApp } from '@native-login/forum';
import { loadAppConfig, serverOptions, type AppConfig } from '@native-login/session-login';
import { storeApp } from '@native-login/store';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

type Environment = Record<string, string | undefined>;

/** Builds one app as its own server.ts does: its server options, and the app registered with `fp`. */
async function buildApp(
  plugin: FastifyPluginAsync<{ config: AppConfig }>,
  config: AppConfig,
): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config));
  await app.register(fp(plugin), { config });
  return app;
}

/** Where people open the app: its configured origin (cookies are per host), or where it listens on port 0. */
function publicUrl(listening: string, config: AppConfig): string {
  return config.port === 0 ? listening : config.origin;
}

export interface RunningStack {
  storeUrl: string;
  forumUrl: string;
  /** Set when the stack started the stand-in itself. */
  fusionAuthUrl: string | undefined;
  summary: KickstartSummary;
  /** Notes for whoever started it: what was filled in for them. */
  notices: string[];
  /** LOG_LEVEL was unset, so the apps log warnings and errors only (the banner says how to see requests). */
  requestLogsHidden: boolean;
  close(): Promise<void>;
}

/**
 * Starts the demo in one process. Without FUSIONAUTH_URL it starts the FusionAuth stand-in seeded
 * from the kickstart and points both apps at it with the kickstart's ids; anything the environment
 * sets wins. Session secrets left unset are drawn at random for this run. LOG_LEVEL left unset is
 * `warn` for the apps, so that a line per request does not bury the banner; set, it is honoured.
 */
export async function startStack(env: Environment): Promise<RunningStack> {
  const environment: Environment = { ...env };
  const notices: string[] = [];
  const started: FastifyInstance[] = [];
  const closeAll = async () => {
    for (const app of [...started].reverse()) await app.close();
  };

  try {
    const standInConfig = readStandInConfig(environment);
    const kickstart = await readKickstartFile(standInConfig.FUSIONAUTH_DEV_KICKSTART);
    let fusionAuthUrl: string | undefined;
    let summary: KickstartSummary;
    if (environment['FUSIONAUTH_URL'] === undefined) {
      const standIn = await buildStandIn({
        kickstart,
        env: environment,
        passwordHashIterations: standInConfig.FUSIONAUTH_DEV_PASSWORD_ITERATIONS,
        logger: { level: 'warn', name: 'fusionauth-dev' },
      });
      started.push(standIn);
      fusionAuthUrl = await standIn.listen({
        host: standInConfig.FUSIONAUTH_DEV_HOST,
        port: standInConfig.FUSIONAUTH_DEV_PORT,
      });
      summary = summarizeKickstart(standIn.standIn.kickstart ?? kickstart);
      const defaults: Environment = {
        FUSIONAUTH_URL: fusionAuthUrl,
        FUSIONAUTH_API_KEY: summary.apiKey,
        FUSIONAUTH_TENANT_ID: summary.tenantId,
        STORE_APPLICATION_ID: applicationIdByName(summary, 'Store'),
        FORUM_APPLICATION_ID: applicationIdByName(summary, 'Forum'),
      };
      for (const [name, value] of Object.entries(defaults)) environment[name] ??= value;
    } else {
      summary = summarizeKickstart(substituteKickstart(kickstart, { env: environment, fusionAuthTenantId: '' }));
    }

    const requestLogsHidden = environment['LOG_LEVEL'] === undefined;
    environment['LOG_LEVEL'] ??= 'warn';

    for (const name of ['STORE_SESSION_SECRET', 'FORUM_SESSION_SECRET']) {
      if (environment[name] === undefined) {
        environment[name] = randomBytes(32).toString('base64url');
        notices.push(`${name} is not set: a random one is used, so sessions end when the stack stops.`);
      }
    }

    const storeConfig = loadAppConfig('STORE', environment);
    const store = await buildApp(storeApp, storeConfig);
    started.push(store);
    const storeUrl = publicUrl(await store.listen({ host: storeConfig.host, port: storeConfig.port }), storeConfig);

    const forumConfig = loadAppConfig('FORUM', environment);
    const forum = await buildApp(forumApp, forumConfig);
    started.push(forum);
    const forumUrl = publicUrl(await forum.listen({ host: forumConfig.host, port: forumConfig.port }), forumConfig);

    return { storeUrl, forumUrl, fusionAuthUrl, summary, notices, requestLogsHidden, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** What the stack prints once it is up: where everything is, and who can sign in. */
export function describeStack(stack: RunningStack): string {
  const lines = [
    '',
    `  Store  ${stack.storeUrl}`,
    `  Forum  ${stack.forumUrl}`,
    stack.fusionAuthUrl ? `  FusionAuth stand-in  ${stack.fusionAuthUrl}` : '  FusionAuth  (FUSIONAUTH_URL)',
    '',
    '  Demo logins (password in the kickstart):',
    ...stack.summary.users
      .filter((user) => user.applications.some((name) => name === 'Store' || name === 'Forum'))
      .map((user) => `    ${user.email} / ${user.password ?? '?'}  (${user.applications.join(', ')})`),
    ...stack.notices.map((notice) => `  Note: ${notice}`),
    ...(stack.requestLogsHidden ? ['  Request logs: set LOG_LEVEL=info to see every request.'] : []),
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
