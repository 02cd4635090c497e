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
    REDIS_URL: redis.url,
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

/** Ends every session of one app on the server, as a revocation would, while its pages still believe in them. */
export async function endSessionsOnServer(stack: { redis: TestRedis }, app: 'store' | 'forum'): Promise<void> {
  await deleteKeys(stack.redis.client, `${stack.redis.keyPrefix}${app}:session:`);
}
