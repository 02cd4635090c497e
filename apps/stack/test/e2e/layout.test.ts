import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { screenshot } from '@native-login/test-support';
import type { Page } from 'playwright-core';
import t from 'tap';
import { reflow } from './page-checks.js';
import { screenTour } from './screens.js';

const { store, forum } = await screenTour(t);

/**
 * A desktop, the phone the screenshots show, and WCAG 1.4.10's 320 by 256 CSS px (a 1280 by 1024
 * screen zoomed to 400 %, or the narrowest phone in use, and short): nothing may need scrolling
 * sideways, nor be out of reach above or left of where scrolling goes.
 */
const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 740 };
const narrowPhone = { width: 320, height: 256 };
/** A few screens are also kept in the dark scheme, to see it without running the tests. */
const darkToo = new Set(['store-sign-in-wrong-password', 'store-cart-full', 'store-idle-notice', 'forum-post']);

/**
 * The README's pictures (docs/screenshots/), only when asked for with UPDATE_SCREENSHOTS=1, so that
 * no run of the tests rewrites committed files: what each app looks like signed in, on a desktop
 * and on a phone, at the size of the screen rather than the whole page.
 */
const readmeShots = process.env['UPDATE_SCREENSHOTS'] === '1';
const readmeFolder = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const readmeScreens: Record<string, string> = { 'store-cart-full': 'store', 'forum-posts': 'forum' };

async function keepForReadme(page: Page, name: string) {
  await mkdir(readmeFolder, { recursive: true });
  await page.screenshot({ path: `${readmeFolder}${name}.png` });
}

for (const screen of [...store, ...forum]) {
  // `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
  // resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
  void t.test(`${screen.name}: no sideways scrolling at 1280, 375 and 320 px, nothing out of reach`, async (t) => {
    const page = await screen.show();
    for (const size of [desktop, phone, narrowPhone]) {
      await page.setViewportSize(size);
      const { scrollWidth, innerWidth, offenders, cutOff } = await reflow(page);
      t.ok(scrollWidth <= innerWidth, `${size.width} px: ${scrollWidth} px wide in a ${innerWidth} px window`, {
        offenders,
      });
      t.strictSame(cutOff, [], `${size.width} × ${size.height} px: nothing out of reach above or left`);
      if (size === narrowPhone) continue;
      const width = size === desktop ? 'desktop' : 'phone';
      await screenshot(page, `screen-${screen.slug}-${width}`);
      const readmeName = readmeScreens[screen.slug];
      if (readmeShots && readmeName) await keepForReadme(page, `${readmeName}-${width}`);
      if (darkToo.has(screen.slug)) {
        await page.emulateMedia({ colorScheme: 'dark' });
        await screenshot(page, `screen-${screen.slug}-${width}-dark`);
        await page.emulateMedia({ colorScheme: 'light' });
      }
    }
    await page.setViewportSize(desktop);
  });
}
