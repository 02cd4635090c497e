import t from 'tap';
import { axeViolations, controlBoundaryFailures, focusIndicatorFailures, reflow } from './page-checks.js';
import { screenTour } from './screens.js';

const { store, forum, context } = await screenTour(t);

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the checks find what they look for, on a page made to fail them', async (t) => {
  const page = await context.newPage();
  await page.setContent(`<!doctype html>
    <html lang="en"><head><title>Made to fail</title><style>
      body { background: #ffffff; color: #1f2933; margin: 0; }
      .faint { border: 1px solid #cccccc; background: #ffffff; }
      .pale { border: none; background: #eeeeee; color: #1f2933; }
      .ringless:focus { outline: none; }
      .dim:focus-visible { outline: 3px solid #dddddd; }
      .wide { width: 500px; }
      .buried { position: absolute; top: 10px; left: 10px; }
      .cover { position: fixed; top: 0; left: 0; width: 200px; height: 100px; background: #ffffff; }
      .overlay { position: fixed; inset: 0; overflow-y: auto; display: grid; align-content: center; }
      .tall { height: 2000px; }
    </style></head>
    <body><main><h1>Made to fail</h1>
      <label for="faint-field">Faint field</label> <input id="faint-field" class="faint">
      <button class="pale">Pale button</button>
      <button class="pale ringless">No ring</button>
      <a href="#dim" class="dim">Dim ring</a>
      <img src="data:,">
      <div class="wide">Wide</div>
      <button class="buried">Buried</button>
      <div class="cover">A bar over the page</div>
    </main></body></html>`);
  t.match(await axeViolations(page), [/^image-alt /], 'axe: the image without a text alternative');
  t.match(
    await controlBoundaryFailures(page),
    [
      /^input#faint-field.* border #cccccc on #ffffff is 1\.61:1$/,
      /^button\.pale "Pale button": fill #eeeeee on #ffffff is 1\.16:1$/,
      /^button\.pale\.ringless "No ring": fill/,
      /^button\.buried "Buried": fill/,
    ],
    'the faint field and the pale buttons',
  );
  const { stops, failures } = await focusIndicatorFailures(page);
  t.equal(stops.length, 5, 'five Tab stops');
  t.match(
    failures,
    [
      /No ring": nothing marks the focus/,
      /Dim ring": focus outline #dddddd on #ffffff/,
      /Buried": hidden behind div\.cover "A bar over the page" while it has the focus/,
    ],
    'the button without a ring, the link with a faint one, the button under a bar',
  );
  await page.setViewportSize({ width: 375, height: 740 });
  const { scrollWidth, innerWidth, offenders } = await reflow(page);
  t.ok(scrollWidth > innerWidth, 'the page scrolls sideways at 375 px');
  t.match(offenders, [/^div\.wide "Wide" spans 0–500 px/], 'and the element that sticks out is named');
  // And an overlay whose tall content is centred past the top of the window, out of reach.
  await page.setContent(`<!doctype html>
    <html lang="en"><head><title>Made to fail</title><style>
      .overlay { position: fixed; inset: 0; overflow-y: auto; display: grid; align-content: center; }
      .tall { height: 2000px; }
    </style></head>
    <body><main><h1>Made to fail</h1><div class="overlay"><p class="tall">Tall</p></div></main></body></html>`);
  t.match(
    (await reflow(page)).cutOff,
    [/^p\.tall "Tall" is out of the scrolling div\.overlay "Tall"'s reach, 630 px above its start$/],
    'the top of a tall overlay, centred past the top of the window',
  );
  await page.close();
});

// Each screen once, in both colour schemes: axe's rules, then the non-text contrast axe does not
// measure (control edges, and the focus ring on every Tab stop). The screens lead one to the next,
// so they run in order; a screen that fails still leaves its page for the next one.
for (const screen of [...store, ...forum]) {
  void t.test(screen.name, async (t) => {
    const page = await screen.show();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      t.strictSame(await axeViolations(page), [], `${colorScheme}: no axe violation`);
      t.strictSame(await controlBoundaryFailures(page), [], `${colorScheme}: every control's edge at 3:1 or more`);
      const { stops, failures } = await focusIndicatorFailures(page);
      t.ok(stops.length > 0, `${colorScheme}: the keyboard reaches ${stops.length} controls`);
      t.strictSame(failures, [], `${colorScheme}: a focus indicator at 3:1 or more on each of them`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
}
