import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';

/** Debian's Chromium: `apt-get install chromium` (.ci/run installs it). */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots of each end-to-end test's final state (git-ignored). */
export const artifactsFolder = fileURLToPath(new URL('../../../test-artifacts/e2e/', import.meta.url));

/**
 * A real Chromium with a profile of its own, closed after the test. Flags keep it from reaching
 * out to the network (this machine has none beyond loopback). Without Chromium a developer's run
 * skips the file; under CI=true it fails instead.
 */
export interface ChromiumOptions {
  /**
   * Host names to resolve to 127.0.0.1 (Chromium's `--host-resolver-rules`), so that servers on
   * loopback can be reached under distinct names of one site, each with host-only cookies of its own.
   */
  loopbackHosts?: readonly string[];
}

export async function launchChromium(t: Test, options: ChromiumOptions = {}): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) {
    if (process.env['CI']) throw new Error(`Chromium is not installed at ${chromiumPath}, and CI needs it`);
    t.plan(0, `Chromium is not installed at ${chromiumPath}`);
    process.exit(0);
  }
  const profile = await mkdtemp(join(tmpdir(), 'native-login-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(options.loopbackHosts?.length
        ? [`--host-resolver-rules=${options.loopbackHosts.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`]
        : []),
    ],
  });
  t.teardown(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  return context;
}

/** Saves what the page shows now as `test-artifacts/e2e/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsFolder, { recursive: true });
  await page.screenshot({ path: join(artifactsFolder, `${name}.png`), fullPage: true });
}

/**
 * Collects what Chromium reports as Content-Security-Policy violations on every page of the
 * context, so a test can assert that the app runs under its policy without any.
 */
export function collectCspViolations(context: BrowserContext): string[] {
  const violations: string[] = [];
  const watch = (page: Page) =>
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return violations;
}
