import { parse, type HTMLElement } from 'node-html-parser';
import { CookieJar, type Cookie } from 'tough-cookie';

/**
 * One answer the browser got, and the answers whose `Location` led to it. Redirects that leave
 * FusionAuth (to a `redirect_uri` or a `post_logout_redirect_uri`) are never followed: a contract
 * test reads their `Location` instead of serving the app behind it.
 */
export class Page {
  private parsed: HTMLElement | undefined;

  constructor(
    readonly url: URL,
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
    /** The redirects, oldest first, that the browser followed to reach this page. */
    readonly redirectedFrom: readonly Page[] = [],
  ) {}

  /** Where a redirect points, resolved against the page's URL; undefined for anything but a 3xx. */
  get location(): URL | undefined {
    const location = this.headers.get('location');
    return this.status >= 300 && this.status < 400 && location !== null ? new URL(location, this.url) : undefined;
  }

  get contentType(): string {
    return this.headers.get('content-type') ?? '';
  }

  /** The Set-Cookie lines exactly as sent. */
  get setCookies(): string[] {
    return this.headers.getSetCookie();
  }

  /** The Set-Cookie line for one cookie, if this answer set or cleared it. */
  setCookie(name: string): string | undefined {
    return this.setCookies.find((line) => line.split('=', 1)[0]?.trim() === name);
  }

  get document(): HTMLElement {
    this.parsed ??= parse(this.body);
    return this.parsed;
  }

  /** The text a reader sees, entities decoded and white space collapsed. */
  get text(): string {
    return this.document.text.replace(/\s+/g, ' ').trim();
  }

  /** The link whose text is `text`, resolved against the page's URL; undefined when there is none. */
  link(text: string): URL | undefined {
    const anchor = this.document.querySelectorAll('a').find((candidate) => candidate.text.trim() === text);
    const href = anchor?.getAttribute('href');
    return href === undefined ? undefined : new URL(href, this.url);
  }

  hasField(name: string): boolean {
    return this.document
      .querySelectorAll('input, select, textarea')
      .some((control) => control.getAttribute('name') === name);
  }

  /** The form that holds a field of this name (the login form holds `loginId`, the two-factor form `code`). */
  form(fieldName: string): Form {
    const form = this.document
      .querySelectorAll('form')
      .find((candidate) => controlsOf(candidate).some((control) => control.getAttribute('name') === fieldName));
    if (!form) {
      throw new Error(
        `no form with a field named ${fieldName} at ${this.url.href} (${this.status}): ${this.text.slice(0, 300)}`,
      );
    }
    return new Form(form, this.url);
  }
}

function controlsOf(form: HTMLElement): HTMLElement[] {
  return form
    .querySelectorAll('input, select, textarea')
    .filter((control) => control.getAttribute('name') !== undefined && !control.hasAttribute('disabled'));
}

const notSubmitted = new Set(['submit', 'button', 'image', 'reset', 'file']);

/** Values a test fills in: text for a text, password or hidden field, a tick (or none) for a checkbox. */
export type FormValues = Record<string, string | boolean>;

/** A form as a browser submits it: every field in document order, ticked checkboxes only. */
export class Form {
  readonly action: URL;
  readonly method: string;

  constructor(
    private readonly element: HTMLElement,
    pageUrl: URL,
  ) {
    // A form without an action posts back to the page's own URL.
    this.action = new URL(element.getAttribute('action') ?? pageUrl.href, pageUrl);
    this.method = (element.getAttribute('method') ?? 'GET').toUpperCase();
  }

  /** The control named so, if the form has one. */
  field(name: string): HTMLElement | undefined {
    return controlsOf(this.element).find((control) => control.getAttribute('name') === name);
  }

  /** The hidden fields and their values, as the page rendered them. */
  get hidden(): Map<string, string> {
    const hidden = new Map<string, string>();
    for (const control of controlsOf(this.element)) {
      if (control.getAttribute('type')?.toLowerCase() === 'hidden') {
        hidden.set(control.getAttribute('name') ?? '', control.getAttribute('value') ?? '');
      }
    }
    return hidden;
  }

  /**
   * The body the browser would post with these values filled in. Naming a field the form lacks is
   * an error: a test must not pass by posting a field the page never offered.
   */
  fill(values: FormValues = {}): URLSearchParams {
    const controls = controlsOf(this.element);
    for (const name of Object.keys(values)) {
      if (!controls.some((control) => control.getAttribute('name') === name)) {
        throw new Error(`the form posting to ${this.action.pathname} has no field named ${name}`);
      }
    }
    const body = new URLSearchParams();
    for (const control of controls) {
      const name = control.getAttribute('name') ?? '';
      const type = (control.getAttribute('type') ?? 'text').toLowerCase();
      const given = values[name];
      if (control.tagName === 'INPUT' && notSubmitted.has(type)) continue;
      if (control.tagName === 'INPUT' && (type === 'checkbox' || type === 'radio')) {
        const checked = typeof given === 'boolean' ? given : control.hasAttribute('checked');
        if (checked) body.append(name, control.getAttribute('value') ?? 'on');
        continue;
      }
      if (typeof given === 'boolean') throw new Error(`${name} is not a checkbox`);
      const rendered = control.tagName === 'TEXTAREA' ? control.text : (control.getAttribute('value') ?? '');
      body.append(name, given ?? rendered);
    }
    return body;
  }
}

/**
 * A browser for FusionAuth's OAuth pages: a cookie jar (tough-cookie, so Path, expiry and host-only
 * rules hold as in a browser), `redirect: 'manual'` with redirects followed by hand, and forms
 * submitted with every field they render.
 */
export class OAuthBrowser {
  readonly jar = new CookieJar();

  /** `fusionAuthUrl`: redirects are followed while they stay on its origin. */
  constructor(private readonly fusionAuthUrl: string) {}

  /** One request, no redirect followed. */
  async request(method: 'GET' | 'POST', url: string | URL, body?: URLSearchParams): Promise<Page> {
    const address = new URL(url, this.fusionAuthUrl);
    const cookie = await this.jar.getCookieString(address.href);
    const response = await fetch(address, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'user-agent': 'contract-browser/1.0',
        ...(cookie !== '' && { cookie }),
        ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body && { body: body.toString() }),
    });
    for (const line of response.headers.getSetCookie()) await this.jar.setCookie(line, address.href);
    return new Page(address, response.status, response.headers, await response.text());
  }

  /** Follows `page`'s redirects while they stay on FusionAuth, as a browser would; answers the last page. */
  async follow(page: Page): Promise<Page> {
    const hops: Page[] = [];
    let current = page;
    while (current.location && current.location.origin === new URL(this.fusionAuthUrl).origin) {
      if (hops.length >= 10) throw new Error(`more than 10 redirects from ${page.url.href}`);
      hops.push(current);
      const next = await this.request('GET', current.location);
      current = new Page(next.url, next.status, next.headers, next.body, [...hops]);
    }
    return current;
  }

  /** A top-level navigation: GET, then FusionAuth's own redirects. */
  async visit(url: string | URL): Promise<Page> {
    return this.follow(await this.request('GET', url));
  }

  /** Submits the form holding `fieldName`, then follows FusionAuth's own redirects. */
  async submit(page: Page, fieldName: string, values: FormValues = {}): Promise<Page> {
    const form = page.form(fieldName);
    const body = form.fill(values);
    if (form.method !== 'POST') throw new Error(`the form posting to ${form.action.pathname} uses ${form.method}`);
    return this.follow(await this.request('POST', form.action, body));
  }

  /** A cookie the jar would send to FusionAuth now (expired and cleared ones are gone). */
  async cookie(name: string): Promise<Cookie | undefined> {
    const cookies = await this.jar.getCookies(this.fusionAuthUrl);
    return cookies.find((cookie) => cookie.key === name);
  }
}
