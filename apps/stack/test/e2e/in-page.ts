/*
 * What runs in the page, on its DOM: each function here is handed to `page.evaluate`, serialised,
 * and may use nothing from outside itself. The tests' program is Node's and has no DOM types (the
 * DOM's would retype `fetch` and the like in every test), so the little of the DOM these functions
 * use is declared below, for this module alone. They only read what the page shows; the checks
 * themselves, and their arithmetic, are in page-checks.ts and contrast.ts.
 */

interface PageRect {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

interface PageElement {
  readonly tagName: string;
  readonly id: string;
  /** An input's type (only inputs, buttons and the like have one). */
  readonly type?: string;
  readonly classList: ArrayLike<string>;
  readonly textContent: string | null;
  /** A form field's labels. */
  readonly labels?: ArrayLike<{ readonly textContent: string | null }> | null;
  readonly parentElement: PageElement | null;
  readonly children: ArrayLike<PageElement>;
  scrollTop: number;
  scrollLeft: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): PageRect;
  matches(selector: string): boolean;
  closest(selector: string): PageElement | null;
  contains(other: PageElement | null): boolean;
  checkVisibility(options?: { visibilityProperty?: boolean }): boolean;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  /** HTML and SVG elements have it; the DOM's other elements do not. */
  blur?(): void;
}

interface PageStyle {
  readonly backgroundColor: string;
  readonly backgroundImage: string;
  readonly boxShadow: string;
  readonly color: string;
  readonly fontSize: string;
  readonly fontWeight: string;
  readonly opacity: string;
  readonly outlineColor: string;
  readonly outlineOffset: string;
  readonly outlineStyle: string;
  readonly outlineWidth: string;
  readonly overflowX: string;
  readonly overflowY: string;
  getPropertyValue(property: string): string;
}

declare const document: {
  readonly activeElement: PageElement | null;
  readonly body: PageElement;
  readonly documentElement: PageElement & { readonly scrollWidth: number };
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  elementFromPoint(x: number, y: number): PageElement | null;
};
declare const window: {
  readonly innerWidth: number;
  readonly innerHeight: number;
  scrollTo(x: number, y: number): void;
  getSelection(): { collapse(node: PageElement, offset: number): void } | null;
};
declare function getComputedStyle(element: PageElement): PageStyle;
declare function matchMedia(query: string): { readonly matches: boolean };

/** What `inspect` is asked for; each kind of question has its kind of answer below. */
export type Question =
  { kind: 'controls' } | { kind: 'focused' } | { kind: 'overflow' } | { kind: 'text'; selectors: string[] };

/** A background, as the page reports it: the element's ancestors' colours, nearest first. */
export interface Backdrop {
  layers: string[];
  /** Some layer paints an image or a gradient, whose colours a computed style does not give. */
  image: boolean;
  /** The canvas colour beneath the root, for the colour scheme in use. */
  dark: boolean;
}

export interface ControlFacts {
  where: string;
  kind: 'field' | 'button';
  background: string;
  borders: Array<{ side: string; width: number; style: string; color: string }>;
  opacity: number;
  behind: Backdrop;
}

export interface FocusFacts {
  where: string;
  /** Where the focus is as a path from `body`: the same element gives the same path. */
  path: string;
  outline: { style: string; width: number; color: string; offset: number };
  boxShadow: string;
  /** Behind the element (its parent's background): where a ring drawn outside it lies. */
  behind: Backdrop;
  /** The element's own background: where a ring drawn inside it lies. */
  own: Backdrop;
  /** What covers the whole of it, if something does (a fixed bar, a notice): WCAG 2.4.11. */
  hiddenBehind: string | null;
}

export interface TextFacts {
  where: string;
  color: string;
  opacity: number;
  /** WCAG's large text (24 px, or 18.66 px bold) needs 3:1, other text 4.5:1. */
  large: boolean;
  behind: Backdrop;
}

export interface OverflowFacts {
  scrollWidth: number;
  innerWidth: number;
  /** The innermost elements that stick out past the right edge of the window. */
  offenders: string[];
  /** Content above or left of where its scrolling box (the page, an overlay) can be scrolled to. */
  cutOff: string[];
}

/**
 * Runs in the page (serialised by `page.evaluate`: everything it uses is inside it). Reads the
 * computed styles that the checks in page-checks.ts need; their arithmetic is done in Node.
 */
export function inspect(question: Question): ControlFacts[] | FocusFacts | null | TextFacts[] | OverflowFacts {
  const describe = (element: PageElement): string => {
    const classes = Array.from(element.classList, (name) => `.${name}`).join('');
    const label = element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? element.textContent ?? '';
    const text = label.replace(/\s+/g, ' ').trim().slice(0, 50);
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes}${text ? ` "${text}"` : ''}`;
  };
  const backdrop = (start: PageElement | null): Backdrop => {
    const layers: string[] = [];
    let image = false;
    for (let element = start; element; element = element.parentElement) {
      const style = getComputedStyle(element);
      layers.push(style.backgroundColor);
      if (style.backgroundImage !== 'none') image = true;
    }
    return { layers, image, dark: matchMedia('(prefers-color-scheme: dark)').matches };
  };
  const px = (value: string) => Number.parseFloat(value) || 0;
  const opacityOf = (start: PageElement) => {
    let opacity = 1;
    for (let element: PageElement | null = start; element; element = element.parentElement) {
      opacity *= Number(getComputedStyle(element).opacity);
    }
    return opacity;
  };

  if (question.kind === 'text') {
    return question.selectors.flatMap((selector): TextFacts[] => {
      const element = document.querySelector(selector);
      if (!element) return [];
      const style = getComputedStyle(element);
      const size = px(style.fontSize);
      return [
        {
          where: describe(element),
          color: style.color,
          opacity: opacityOf(element),
          large: size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700),
          behind: backdrop(element),
        },
      ];
    });
  }

  if (question.kind === 'controls') {
    const controls = document.body.querySelectorAll('input, textarea, select, button, a.button-link, [role="button"]');
    return Array.from(controls).flatMap((control): ControlFacts[] => {
      // Native check boxes, radio buttons and the like draw themselves: their computed border is
      // not what is on screen. None is used here; they would need a check of their own.
      if (control.matches('input') && /^(checkbox|radio|range|color|file|hidden)$/.test(control.type ?? '')) {
        return [];
      }
      // Inactive controls are exempt from WCAG 1.4.11: disabled, or behind an overlay (`inert`).
      if (control.matches(':disabled, [aria-disabled="true"]') || control.closest('[inert]')) return [];
      const box = control.getBoundingClientRect();
      // Hidden, or a 1-pixel visually hidden element: nothing on screen to see the edge of.
      if (!control.checkVisibility({ visibilityProperty: true }) || box.width <= 1 || box.height <= 1) return [];
      const style = getComputedStyle(control);
      const sides = ['top', 'right', 'bottom', 'left'] as const;
      return [
        {
          where: describe(control),
          kind: control.matches('input, textarea, select') ? 'field' : 'button',
          background: style.backgroundColor,
          borders: sides.map((side) => ({
            side,
            width: px(style.getPropertyValue(`border-${side}-width`)),
            style: style.getPropertyValue(`border-${side}-style`),
            color: style.getPropertyValue(`border-${side}-color`),
          })),
          opacity: opacityOf(control),
          behind: backdrop(control.parentElement),
        },
      ];
    });
  }

  if (question.kind === 'focused') {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    const steps: string[] = [];
    for (let element: PageElement = focused; element.parentElement && element !== document.body;) {
      const parent: PageElement = element.parentElement;
      steps.unshift(`${element.tagName.toLowerCase()}:nth-child(${Array.from(parent.children).indexOf(element) + 1})`);
      element = parent;
    }
    const style = getComputedStyle(focused);
    // Its centre and four points near its corners, within the window (the browser scrolls a focused
    // element into view, but not out from under something fixed over the page).
    const box = focused.getBoundingClientRect();
    const inset = Math.min(2, box.width / 2, box.height / 2);
    const points = [
      [box.left + box.width / 2, box.top + box.height / 2],
      [box.left + inset, box.top + inset],
      [box.right - inset, box.top + inset],
      [box.left + inset, box.bottom - inset],
      [box.right - inset, box.bottom - inset],
    ].filter(([x = -1, y = -1]) => x >= 0 && y >= 0 && x < window.innerWidth && y < window.innerHeight);
    const hits = points.map(([x = 0, y = 0]) => document.elementFromPoint(x, y));
    const seen = hits.some((hit) => hit !== null && (focused.contains(hit) || hit.contains(focused)));
    const cover = hits.find((hit) => hit !== null);
    return {
      hiddenBehind: box.width > 1 && box.height > 1 && !seen && cover ? describe(cover).slice(0, 60) : null,
      where: describe(focused),
      path: steps.join(' > '),
      outline: {
        style: style.outlineStyle,
        width: px(style.outlineWidth),
        color: style.outlineColor,
        offset: px(style.outlineOffset),
      },
      boxShadow: style.boxShadow,
      behind: backdrop(focused.parentElement),
      own: backdrop(focused),
    };
  }

  const width = window.innerWidth;
  const overflows = (element: PageElement) => element.getBoundingClientRect().right > width + 0.5;
  // The innermost elements past the right edge: the ones whose own width (or position) is the cause.
  const offenders = Array.from(document.body.querySelectorAll('*'))
    .filter((element) => overflows(element) && !Array.from(element.children).some(overflows))
    .slice(0, 10)
    .map((element) => {
      const box = element.getBoundingClientRect();
      return `${describe(element)} spans ${Math.round(box.left)}–${Math.round(box.right)} px`;
    });
  // Content past the top or the left of a scrolling box (the page, or a box of its own such as an
  // overlay) is out of reach: scrolling goes down and right only. Each box is scrolled to its start.
  window.scrollTo(0, 0);
  const boxes = [
    document.documentElement,
    ...Array.from(document.body.querySelectorAll('*')).filter((element) =>
      /auto|scroll/.test(getComputedStyle(element).overflowX + getComputedStyle(element).overflowY),
    ),
  ];
  const cutOff = boxes.flatMap((box) => {
    box.scrollTop = 0;
    box.scrollLeft = 0;
    const edge = box === document.documentElement ? { top: 0, left: 0 } : box.getBoundingClientRect();
    const outOfReach = (element: PageElement) => {
      const part = element.getBoundingClientRect();
      // 1-pixel visually hidden text is not content cut off, nor a control that waits wholly
      // outside until it has the focus (a skip link above the page).
      if (part.width <= 1 || part.height <= 1) return false;
      const whollyOutside = part.bottom <= edge.top || part.right <= edge.left;
      if (whollyOutside && element.matches('a[href], button, [tabindex]')) return false;
      return part.top < edge.top - 0.5 || part.left < edge.left - 0.5;
    };
    const name = box === document.documentElement ? 'page' : describe(box).slice(0, 40);
    // Each element is reported with the scrolling box nearest to it, the one that would bring it in.
    const scrolledBy = (element: PageElement) => {
      let parent = element.parentElement;
      while (parent && parent !== document.documentElement && !boxes.includes(parent)) parent = parent.parentElement;
      return parent ?? document.documentElement;
    };
    return Array.from(box.querySelectorAll('*'))
      .filter(
        (element) =>
          scrolledBy(element) === box &&
          outOfReach(element) &&
          !(element.parentElement && outOfReach(element.parentElement)),
      )
      .map((element) => {
        const part = element.getBoundingClientRect();
        const above = Math.round(edge.top - part.top);
        const left = Math.round(edge.left - part.left);
        const where = [above > 0 ? `${above} px above` : '', left > 0 ? `${left} px left of` : ''].filter(Boolean);
        return `${describe(element)} is out of the scrolling ${name}'s reach, ${where.join(' and ')} its start`;
      });
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    offenders,
    cutOff: cutOff.slice(0, 10),
  };
}

/** Lets go of the focus, and starts the next Tab from the top of the page. */
export function toTopOfPage(): void {
  document.activeElement?.blur?.();
  window.getSelection()?.collapse(document.body, 0);
}

/** Lets go of the focus: the page looks, and takes clicks, as it did before it was focused. */
export function letGoOfFocus(): void {
  document.activeElement?.blur?.();
}

/** Where the keyboard focus is, for a test's messages: its tag, id and text, and whether it is in `main`. */
export function focusedElement(): { tag: string; id: string; text: string; inMain: boolean } {
  const element = document.activeElement ?? document.body;
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    text: (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40),
    inMain: document.getElementById('main')?.contains(element) ?? false,
  };
}

/** Whether the element has the keyboard focus. */
export function isFocused(element: PageElement): boolean {
  return element === document.activeElement;
}
