import { randomBytes } from 'node:crypto';
import { buildStandIn, readConfig as readStandInConfig } from '@native-login/fusionauth-dev';
import {
  kickstartEnvironment,
  readKickstartFile,
  webhookRoute,
  substituteKickstart,
  summarizeKickstart,
  applicationIdByName,
  clientSecretByName,
  type KickstartSummary,
} from '@native-login/kickstart';
import { forumApp, loadForumConfig } from '@native-login/forum';
import { loadAppConfig, serverOptions, type AppConfig } from '@native-login/session-login';
import { storeApp } from '@native-login/store';
import type { Application, Webhook } from '@fusionauth/typescript-client';
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

/**
 * Makes the stand-in's tenant issuer the address browsers reach it at, through its tenant API as
 * one would set a real FusionAuth's. The kickstart says `http://localhost:9011`; the stand-in may
 * listen on another port, and the OAuth flow insists that discovery, tokens and redirects name the
 * issuer the browser-facing URL is.
 */
async function issueAs(standIn: FastifyInstance, summary: KickstartSummary, issuer: string): Promise<void> {
  const answer = await standIn.inject({
    method: 'PATCH',
    url: `/api/tenant/${summary.tenantId ?? ''}`,
    headers: { authorization: summary.apiKey ?? '', 'content-type': 'application/json' },
    payload: JSON.stringify({ tenant: { issuer } }),
  });
  if (answer.statusCode !== 200) {
    throw new Error(`could not set the stand-in's issuer: ${answer.statusCode} ${answer.body}`);
  }
}

/**
 * Points the stand-in's application at where the app really is, through the stand-in's own API as
 * an operator would change a real FusionAuth's. The kickstart took the origins from the
 * environment, which may leave one unset where the app derives it from its port: its OAuth
 * redirect and logout URLs follow the app's origin. Its webhook goes to the address the app
 * listens on, in this process, which the origin's host name may not reach, unless
 * `<PREFIX>_WEBHOOK_URL` names one.
 */
/** The stand-in's API, called in this process with the kickstart's API key. */
function standInApi(standIn: FastifyInstance, summary: KickstartSummary) {
  const headers = { authorization: summary.apiKey ?? '', 'content-type': 'application/json' };
  return async (method: 'GET' | 'PUT', url: string, body?: unknown) => {
    const answer = await standIn.inject({
      method,
      url,
      headers,
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    if (answer.statusCode !== 200) throw new Error(`${method} ${url} answered ${answer.statusCode} ${answer.body}`);
    return answer.json<Record<string, unknown>>();
  };
}

async function registerOrigin(standIn: FastifyInstance, summary: KickstartSummary, config: AppConfig): Promise<void> {
  const api = standInApi(standIn, summary);
  const { application } = (await api('GET', `/api/application/${config.applicationId}`)) as {
    application: Application;
  };
  // On port 0 the origin is not known before listening; such a stack (a test's) signs in natively,
  // and its emails' links are aimed once it listens (see aimEmailLinks).
  if (config.port === 0) return;
  const registered = application.oauthConfiguration?.authorizedRedirectURLs?.[0];
  const registeredOrigin = registered === undefined ? undefined : new URL(registered).origin;
  // The tenant's email templates link to the application's `data.origin` (a password reset, an
  // email verification): it moves with the redirect URLs.
  const emailOrigin = (application.data as { origin?: unknown } | undefined)?.origin;
  const moved = [registeredOrigin, emailOrigin].some((origin) => origin !== undefined && origin !== config.origin);
  if (moved) {
    await api('PUT', `/api/application/${config.applicationId}`, {
      application: {
        ...application,
        data: { ...application.data, origin: config.origin },
        oauthConfiguration: {
          ...application.oauthConfiguration,
          authorizedRedirectURLs: [`${config.origin}/api/oauth/callback`, `${config.origin}/`],
          logoutURL: `${config.origin}/api/oauth/frontchannel-logout`,
        },
      },
    });
  }
  if (config.webhooks.url !== undefined) return;
  const aimedAtOrigin = new Set([registeredOrigin, config.origin].map((origin) => `${origin}${webhookRoute}`));
  const listening = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}${webhookRoute}`;
  const { webhooks = [] } = (await api('GET', '/api/webhook')) as { webhooks?: Webhook[] };
  for (const webhook of webhooks) {
    if (webhook.id === undefined || webhook.url === undefined || !aimedAtOrigin.has(webhook.url)) continue;
    await api('PUT', `/api/webhook/${webhook.id}`, { webhook: { ...webhook, url: listening } });
  }
}

/**
 * Aims the links in the tenant's emails (a password reset, an email verification) at where an app
 * on port 0 listens: the application's `data.origin`, which the templates read.
 */
async function aimEmailLinks(
  standIn: FastifyInstance,
  summary: KickstartSummary,
  config: AppConfig,
  url: string,
): Promise<void> {
  if (config.port !== 0) return;
  const api = standInApi(standIn, summary);
  const path = `/api/application/${config.applicationId}`;
  const { application } = (await api('GET', path)) as { application: Application };
  await api('PUT', path, { application: { ...application, data: { ...application.data, origin: url } } });
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
  /** LOG_LEVEL was unset, so the apps log warnings and errors only (the banner says how to see more). */
  requestLogsHidden: boolean;
  /** Either app offers sign-in on FusionAuth's page (the banner says how SSO shows). */
  oauthOffered: boolean;
  close(): Promise<void>;
}

/**
 * Starts the demo in one process. Without FUSIONAUTH_URL it starts the FusionAuth stand-in seeded
 * from the kickstart and points both apps at it with the kickstart's ids and client secrets, both
 * sign-in flows offered (the app's own form first), and browsers sent to it as
 * `http://localhost:<port>`, which becomes its tenant's issuer; anything the environment sets
 * wins. Session secrets left unset are drawn at random for this run. LOG_LEVEL left unset is
 * `warn` for the apps, so that nothing but trouble follows the banner; set, it is honoured. The
 * apps' lines per request are at debug unless REQUEST_LOG_LEVEL says otherwise, so that
 * `LOG_LEVEL=info` shows what people do (sign-ins, sign-outs) without a line for every file the
 * browser loads.
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
    let standIn: FastifyInstance | undefined;
    if (environment['FUSIONAUTH_URL'] === undefined) {
      standIn = await buildStandIn({
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
        // The stand-in listens on 127.0.0.1; browsers must use the issuer's host name, localhost,
        // or FusionAuth's SSO cookie and its logout iframes would be on another site than the apps.
        FUSIONAUTH_PUBLIC_URL: `http://localhost:${new URL(fusionAuthUrl).port}`,
        FUSIONAUTH_API_KEY: summary.apiKey,
        FUSIONAUTH_TENANT_ID: summary.tenantId,
        STORE_APPLICATION_ID: applicationIdByName(summary, 'Store'),
        FORUM_APPLICATION_ID: applicationIdByName(summary, 'Forum'),
        STORE_CLIENT_SECRET: clientSecretByName(summary, 'Store'),
        FORUM_CLIENT_SECRET: clientSecretByName(summary, 'Forum'),
        STORE_LOGIN_FLOWS: 'native,oauth',
        FORUM_LOGIN_FLOWS: 'native,oauth',
      };
      for (const [name, value] of Object.entries(defaults)) environment[name] ??= value;
      await issueAs(standIn, summary, environment['FUSIONAUTH_PUBLIC_URL'] ?? fusionAuthUrl);
    } else {
      summary = summarizeKickstart(
        substituteKickstart(kickstart, { env: kickstartEnvironment(environment), fusionAuthTenantId: '' }),
      );
    }

    const requestLogsHidden = environment['LOG_LEVEL'] === undefined;
    environment['LOG_LEVEL'] ??= 'warn';
    environment['REQUEST_LOG_LEVEL'] ??= 'debug';

    for (const name of ['STORE_SESSION_SECRET', 'FORUM_SESSION_SECRET']) {
      if (environment[name] === undefined) {
        environment[name] = randomBytes(32).toString('base64url');
        notices.push(`${name} is not set: a random one is used, so sessions end when the stack stops.`);
      }
    }

    // The demo shows a Forum with a few conversations in it; a deployment starts with an empty one.
    environment['FORUM_DEMO_CONTENT'] ??= 'true';
    const storeConfig = loadAppConfig('STORE', environment);
    const forumConfig = loadForumConfig(environment);
    if (standIn) {
      await registerOrigin(standIn, summary, storeConfig);
      await registerOrigin(standIn, summary, forumConfig);
    }
    const store = await buildApp(storeApp, storeConfig);
    started.push(store);
    const storeUrl = publicUrl(await store.listen({ host: storeConfig.host, port: storeConfig.port }), storeConfig);

    const forum = await buildApp(forumApp, forumConfig);
    started.push(forum);
    const forumUrl = publicUrl(await forum.listen({ host: forumConfig.host, port: forumConfig.port }), forumConfig);

    if (standIn) {
      await aimEmailLinks(standIn, summary, storeConfig, storeUrl);
      await aimEmailLinks(standIn, summary, forumConfig, forumUrl);
    }
    const oauthOffered = [storeConfig, forumConfig].some((config) => config.loginFlows.includes('oauth'));
    return { storeUrl, forumUrl, fusionAuthUrl, summary, notices, requestLogsHidden, oauthOffered, close: closeAll };
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
    ...(stack.fusionAuthUrl
      ? [`  Mailbox  ${new URL('/dev/mailbox', stack.fusionAuthUrl).href}  (the emails FusionAuth would send)`]
      : []),
    '',
    ...(stack.oauthOffered
      ? [
          '  Sign in with the app\'s own form, or with "Continue with FusionAuth" (FusionAuth\'s page:',
          '  tick "Keep me signed in" and the other app signs you in without a form).',
          '',
        ]
      : []),
    '  Demo logins (password in the kickstart):',
    ...stack.summary.users
      .filter((user) => user.applications.some((name) => name === 'Store' || name === 'Forum'))
      .map((user) => `    ${user.email} / ${user.password ?? '?'}  (${user.applications.join(', ')})`),
    ...stack.notices.map((notice) => `  Note: ${notice}`),
    ...(stack.requestLogsHidden
      ? ['  Request logs: set LOG_LEVEL=debug to see every request (LOG_LEVEL=info: sign-ins and sign-outs).']
      : []),
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
