import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { contrastRatio, flatten, hex, over, parseColor, type Rgba } from './contrast.js';
import {
  focusedElement,
  inspect,
  isFocused,
  letGoOfFocus,
  toTopOfPage,
  type Backdrop,
  type ControlFacts,
  type FocusFacts,
  type OverflowFacts,
  type Question,
  type TextFacts,
} from './in-page.js';

/** WCAG 1.4.11: a control's boundary and a focus ring need 3:1 against what is next to them. */
const nonTextContrast = 3;

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/**
 * Every axe violation on the page as one line each: rule, impact, what it asks, and where. Axe's
 * defaults run (its WCAG 2.0, 2.1 and 2.2 A and AA rules and its best-practice rules), and
 * `target-size` too: a WCAG 2.2 AA criterion (2.5.8) that axe leaves off by default. The WCAG
 * A/AA rules still off are deprecated (`duplicate-id`: 4.1.1 is obsolete in WCAG 2.2;
 * `aria-roledescription`, `audio-caption`: replaced by other rules). No rule is disabled.
 *
 * Text whose contrast axe could not measure (its "incomplete" color-contrast results: text on a
 * fixed overlay, which overlaps what is under it) is measured here instead, against the
 * backgrounds of its own ancestors, which is what lies under it on those overlays.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results: AxeResults = await new AxeBuilder({ page })
    .options({ rules: { 'target-size': { enabled: true } } })
    // In the page itself, rather than through a blank page of its own for the results: half the
    // time. That way cannot reach into cross-origin frames, and these pages have no frames.
    .setLegacyMode(true)
    .analyze();
  const violations = results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help} at ${node.target.join(' ')}: ` +
        (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    ),
  );
  const unmeasured = results.incomplete
    .filter((result) => result.id === 'color-contrast')
    .flatMap((result) => result.nodes.map((node) => String(node.target.at(-1))));
  if (unmeasured.length === 0) return violations;
  const texts = await ask<TextFacts[]>(page, { kind: 'text', selectors: unmeasured });
  return [...violations, ...texts.flatMap(textContrastFailure)];
}

/** Asks `inspect` in the page; each kind of question has its kind of answer. */
async function ask<Answer>(page: Page, question: Question): Promise<Answer> {
  return (await page.evaluate(inspect, question)) as Answer;
}

/** The colour under an element: its ancestors' backgrounds flattened onto the canvas. */
function colourOf(backdrop: Backdrop, where: string): Rgba {
  if (backdrop.image) throw new Error(`${where}: a background image lies behind it, so its contrast cannot be read`);
  // Chromium's canvas: white, or #121212 under a dark `color-scheme` (the root sets its own anyway).
  const canvas = backdrop.dark ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  return flatten(backdrop.layers.map(parseColor), canvas);
}

const ratio = (value: number) => `${value.toFixed(2)}:1`;

function textContrastFailure(text: TextFacts): string[] {
  const behind = colourOf(text.behind, text.where);
  const colour = parseColor(text.color);
  const seen = over({ ...colour, a: colour.a * text.opacity }, behind);
  const contrast = contrastRatio(seen, behind);
  const needed = text.large ? 3 : 4.5;
  return contrast >= needed
    ? []
    : [
        `color-contrast (measured here, axe could not): ${text.where}: ${hex(seen)} on ${hex(behind)} is ${ratio(contrast)}, under ${needed}:1`,
      ];
}

/**
 * WCAG 1.4.11 for every control on screen: a field's border against what is behind it; a
 * button's fill against what is behind it, or, for a button without a fill (`secondary`), its
 * border. A text-only button (`link-button`: no fill, no border) has no boundary to measure, as
 * a link has none: its text is what shows it, and axe's color-contrast checks that text.
 * Answers one line per control under 3:1.
 */
export async function controlBoundaryFailures(page: Page): Promise<string[]> {
  const controls = await ask<ControlFacts[]>(page, { kind: 'controls' });
  return controls.flatMap((control) => {
    const behind = colourOf(control.behind, control.where);
    const seen = (colour: string) => {
      const parsed = parseColor(colour);
      return over({ ...parsed, a: parsed.a * control.opacity }, behind);
    };
    const fill = parseColor(control.background);
    if (control.kind === 'button' && fill.a > 0) {
      const contrast = contrastRatio(seen(control.background), behind);
      return contrast >= nonTextContrast
        ? []
        : [`${control.where}: fill ${hex(seen(control.background))} on ${hex(behind)} is ${ratio(contrast)}`];
    }
    const drawn = control.borders.filter((border) => border.width > 0 && !/^(none|hidden)$/.test(border.style));
    if (drawn.length === 0) {
      return control.kind === 'field' ? [`${control.where}: a field without a border or a fill to show its edge`] : [];
    }
    // Its weakest side: one line per control, however many of its sides fall short.
    const [weakest] = drawn
      .map((border) => ({ ...border, contrast: contrastRatio(seen(border.color), behind) }))
      .sort((first, second) => first.contrast - second.contrast);
    return !weakest || weakest.contrast >= nonTextContrast
      ? []
      : [
          `${control.where}: ${weakest.side} border ${hex(seen(weakest.color))} on ${hex(behind)} is ${ratio(weakest.contrast)}`,
        ];
  });
}

/**
 * Tabs through the whole page from its top, as a keyboard user would, and checks what marks the
 * focus on each stop: an outline (or, failing that, a box-shadow) at 3:1 against the background
 * next to it: behind the element for a ring drawn outside it, the element's own for one inside.
 * And that the focused element is not wholly hidden behind something on top of it (WCAG 2.4.11).
 * Answers the stops it made and one line per stop that fails.
 */
export async function focusIndicatorFailures(page: Page): Promise<{ stops: string[]; failures: string[] }> {
  const walk = await tabWalk(page);
  // The walk ends where it began, on the first stop: a skip link, shown over the header while it
  // has the focus. It is let go, so that the page looks (and takes clicks) as it did before.
  await page.evaluate(letGoOfFocus);
  return walk;
}

async function tabWalk(page: Page): Promise<{ stops: string[]; failures: string[] }> {
  // From the top of the page: the next Tab goes to its first focusable element.
  await page.evaluate(toTopOfPage);
  const stops: string[] = [];
  const failures: string[] = [];
  const seenPaths = new Set<string>();
  let outside = 0;
  // Enough for every page here; a walk that never comes back to its first stop is a failure.
  for (let press = 0; press < 80; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await ask<FocusFacts | null>(page, { kind: 'focused' });
    // After its last stop the focus leaves the document for a press or two, then comes back to the first.
    if (!focused) {
      outside += 1;
      if (outside > 3) break;
      continue;
    }
    outside = 0;
    if (seenPaths.has(focused.path)) return { stops, failures };
    seenPaths.add(focused.path);
    stops.push(focused.where);
    const failure = focusFailure(focused);
    if (failure) failures.push(failure);
  }
  if (stops.length > 0) failures.push(`the Tab walk did not come back to its first stop (${stops.length} stops)`);
  return { stops, failures };
}

function focusFailure(focused: FocusFacts): string | null {
  if (focused.hiddenBehind) return `${focused.where}: hidden behind ${focused.hiddenBehind} while it has the focus`;
  const { outline } = focused;
  if (outline.style !== 'none' && outline.width > 0) {
    const next = colourOf(outline.offset < 0 ? focused.own : focused.behind, focused.where);
    const ring = over(parseColor(outline.color), next);
    const contrast = contrastRatio(ring, next);
    return contrast >= nonTextContrast
      ? null
      : `${focused.where}: focus outline ${hex(ring)} on ${hex(next)} is ${ratio(contrast)}`;
  }
  if (focused.boxShadow !== 'none') {
    const colour = /^(rgba?\([^)]*\)|color\([^)]*\))/.exec(focused.boxShadow)?.[1];
    if (!colour) return `${focused.where}: a focus shadow whose colour cannot be read (${focused.boxShadow})`;
    const next = colourOf(/\binset\b/.test(focused.boxShadow) ? focused.own : focused.behind, focused.where);
    const ring = over(parseColor(colour), next);
    const contrast = contrastRatio(ring, next);
    return contrast >= nonTextContrast
      ? null
      : `${focused.where}: focus shadow ${hex(ring)} on ${hex(next)} is ${ratio(contrast)}`;
  }
  return `${focused.where}: nothing marks the focus (no outline, no box-shadow)`;
}

/**
 * Reflow at the page's current size (WCAG 1.4.10): whether it scrolls sideways, which elements stick
 * out past the right edge, and what is out of reach above or left of a scrolling box.
 */
export async function reflow(page: Page): Promise<OverflowFacts> {
  return await ask<OverflowFacts>(page, { kind: 'overflow' });
}

/** Where the keyboard focus is, for the messages of a test that finds it elsewhere. */
export function focusOf(page: Page): Promise<ReturnType<typeof focusedElement>> {
  return page.evaluate(focusedElement);
}

/** The element the locator finds (by its role and accessible name, mostly) has the keyboard focus. */
export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate(isFocused, undefined, { timeout: 5_000 });
}
