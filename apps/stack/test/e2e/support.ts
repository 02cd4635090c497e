import { createServer, type AddressInfo } from 'node:net';
import { deleteKeys, useRedis, type TestRedis } from '@native-login/test-support';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';
import { startStack, type RunningStack } from '../../src/index.js';

/** The whole stack, as `npm start` runs it, on free ports and real Redis (a namespace of its own). */
export async function e2eStack(
  t: Test,
  environment: Record<string, string> = {},
): Promise<RunningStack & { redis: TestRedis }> {
  const redis = await useRedis(t);
  const stack = await startStack({
    STORE_PORT: '0',
    FORUM_PORT: '0',
    FUSIONAUTH_DEV_PORT: '0',
    FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '1000',
    LOG_LEVEL: 'silent',
    ...redis.environment,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    ...environment,
  });
  t.teardown(() => stack.close());
  return { ...stack, redis };
}

/** Fills the sign-in form and submits it with Enter, as a keyboard user would. */
export async function signIn(page: Page, email: string, password = 'password123'): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/**
 * The newest link to `path` (`/reset-password`, `/verify-email`, or a pattern) in the emails the stand-in "sent"
 * to `to`, read from its development mailbox as a person would open their inbox. FusionAuth sends
 * the email before its API answers, so it is there once the page says it is on its way.
 */
export async function emailedLink(stack: RunningStack, to: string, path: string | RegExp): Promise<string> {
  const response = await fetch(`${stack.fusionAuthUrl ?? ''}/dev/mailbox.json`);
  const { emails } = (await response.json()) as { emails: Array<{ to: string; links: string[] }> };
  const link = emails
    .filter((email) => email.to.toLowerCase() === to.toLowerCase())
    .flatMap((email) => email.links)
    .find((candidate) => {
      const { pathname } = new URL(candidate);
      return typeof path === 'string' ? pathname === path : path.test(pathname);
    });
  if (!link) throw new Error(`no email to ${to} links to ${String(path)}`);
  return link;
}

/** Ends every session of one app on the server, as a revocation would, while its pages still believe in them. */
export async function endSessionsOnServer(stack: { redis: TestRedis }, app: 'store' | 'forum'): Promise<void> {
  await deleteKeys(stack.redis.client, `${stack.redis.keyPrefix}${app}:session:`);
}

/** A port nobody listens on now, for a server that must know its origin before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The host names of the OAuth stack: three hosts of one site, all on loopback. */
export const oauthHosts = { store: 'store.example.test', forum: 'forum.example.test', auth: 'auth.example.test' };

/**
 * The stack as production lays it out: the Store, the Forum and FusionAuth on host names of their
 * own under one site, so that each app's cookie is host-only and the SSO cookie lives on
 * FusionAuth's host alone. Chromium maps the names to loopback (`launchChromium`'s
 * `loopbackHosts`); the backends reach FusionAuth over loopback directly.
 */
export async function oauthE2eStack(
  t: Test,
): Promise<RunningStack & { redis: TestRedis; fusionAuthPublicUrl: string }> {
  const [storePort, forumPort, authPort] = [await freePort(), await freePort(), await freePort()];
  const fusionAuthPublicUrl = `http://${oauthHosts.auth}:${authPort}`;
  const stack = await e2eStack(t, {
    STORE_PORT: String(storePort),
    FORUM_PORT: String(forumPort),
    FUSIONAUTH_DEV_PORT: String(authPort),
    STORE_ORIGIN: `http://${oauthHosts.store}:${storePort}`,
    FORUM_ORIGIN: `http://${oauthHosts.forum}:${forumPort}`,
    FUSIONAUTH_PUBLIC_URL: fusionAuthPublicUrl,
  });
  return { ...stack, fusionAuthPublicUrl };
}
