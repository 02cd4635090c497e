import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';
import { CookieJar } from 'tough-cookie';

/** One answer as the browser saw it, whichever server gave it. */
export interface PageAnswer {
  url: string;
  status: number;
  /** The `Location` header, resolved against `url`. */
  location: string | undefined;
  headers: Headers;
  body: string;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  /** Sent as `application/x-www-form-urlencoded`, as a page's form is. */
  form?: Record<string, string>;
  /** Sent as the SPA sends its API calls: JSON, with `X-CSRF: 1`. */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface SignInOptions {
  email: string;
  password?: string;
  returnTo?: string;
  /** Ticks "Keep me signed in" (FusionAuth's SSO session); unticked, FusionAuth forgets the login. */
  rememberDevice?: boolean;
}

/** The hops of a redirect chain, and where it stopped. */
export interface Followed {
  hops: PageAnswer[];
  /** The last answer received. */
  last: PageAnswer;
  /** Where the last answer sent the browser next, when the chain stopped at a page that was not requested. */
  next: string | undefined;
}

/** An app's page (outside `/api`): the SPA, which a test has no need to load. */
const isAppPage = (url: URL) => !url.pathname.startsWith('/api/');

/**
 * A browser for the OAuth redirect dance, with real cookies across hosts (tough-cookie): the apps
 * are answered through `inject` at their configured origins (`http://localhost:3000`, ...), and
 * anything else, the FusionAuth stand-in, over HTTP. Redirects are followed by hand, so that a test
 * can stop at any hop, replay one, or change it (a forged state, a foreign issuer); forms are
 * posted as a browser posts them, with every field they hold.
 */
export class OAuthBrowser {
  readonly jar = new CookieJar();
  private readonly apps: Map<string, FastifyInstance>;

  constructor(apps: Record<string, FastifyInstance>) {
    this.apps = new Map(Object.entries(apps).map(([origin, app]) => [new URL(origin).origin, app]));
  }

  /** One request, with the jar's cookies for its URL; the answer's cookies go into the jar. */
  async request(url: string, options: RequestOptions = {}): Promise<PageAnswer> {
    const target = new URL(url);
    const method = options.method ?? (options.form || options.json !== undefined ? 'POST' : 'GET');
    const cookie = this.jar.getCookieStringSync(target);
    const headers: Record<string, string> = {
      'user-agent': 'test-browser/1.0',
      ...(cookie !== '' && { cookie }),
      ...(options.form && { 'content-type': 'application/x-www-form-urlencoded' }),
      ...(options.json !== undefined && { 'content-type': 'application/json', 'x-csrf': '1' }),
      ...options.headers,
    };
    const body = options.form
      ? new URLSearchParams(options.form).toString()
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : undefined;
    const app = this.apps.get(target.origin);
    let answer: { status: number; headers: Headers; body: string };
    if (app) {
      const injected = await app.inject({
        method,
        url: `${target.pathname}${target.search}`,
        headers: { host: target.host, ...headers },
        ...(body !== undefined && { payload: body }),
      });
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(injected.headers)) {
        for (const one of [value].flat()) if (one !== undefined) answerHeaders.append(name, String(one));
      }
      answer = { status: injected.statusCode, headers: answerHeaders, body: injected.body };
    } else {
      const fetched = await fetch(target, { method, headers, body, redirect: 'manual' });
      answer = { status: fetched.status, headers: fetched.headers, body: await fetched.text() };
    }
    for (const line of answer.headers.getSetCookie()) this.jar.setCookieSync(line, target);
    const location = answer.headers.get('location');
    return { url: target.href, ...answer, location: location === null ? undefined : new URL(location, target).href };
  }

  /**
   * Follows redirects from `url` until an answer that is not one, or until the next URL is a page
   * of an app (its SPA), which is not loaded: `next` says where the browser would go.
   */
  async follow(
    url: string,
    options: RequestOptions = {},
    stopAt: (next: URL) => boolean = this.appPage,
  ): Promise<Followed> {
    const hops: PageAnswer[] = [];
    let answer = await this.request(url, options);
    hops.push(answer);
    for (
      let hop = 0;
      hop < 20 && answer.location !== undefined && answer.status >= 300 && answer.status < 400;
      hop += 1
    ) {
      if (stopAt(new URL(answer.location))) return { hops, last: answer, next: answer.location };
      answer = await this.request(answer.location);
      hops.push(answer);
    }
    return { hops, last: answer, next: undefined };
  }

  private readonly appPage = (next: URL) => this.apps.has(next.origin) && isAppPage(next);

  /**
   * Posts the page's form that has a field named `identifiedBy` (the first of `fields`), with every
   * field it holds and `fields` filled in, and follows where it leads.
   */
  submitForm(
    page: PageAnswer,
    fields: Record<string, string>,
    stopAt: (next: URL) => boolean = this.appPage,
    identifiedBy = Object.keys(fields)[0] ?? '',
  ): Promise<Followed> {
    const form = parse(page.body)
      .querySelectorAll('form')
      .find((candidate) => candidate.querySelector(`[name="${identifiedBy}"]`) !== null);
    if (!form) {
      throw new Error(
        `no form with a field ${identifiedBy} at ${page.url} (${page.status}): ${page.body.slice(0, 500)}`,
      );
    }
    const action = new URL(form.getAttribute('action') ?? page.url, page.url).href;
    const method = (form.getAttribute('method') ?? 'GET').toUpperCase();
    if (method !== 'POST') throw new Error(`the form at ${page.url} is sent with ${method}, not POST`);
    return this.follow(action, { form: { ...formFields(form), ...fields } }, stopAt);
  }

  /**
   * Signs in through the app's login start and FusionAuth's hosted form, and follows the redirects
   * back to the app: `next` is the page the app sent the browser to (returnTo, perhaps with
   * `login_error`). Where FusionAuth's SSO session signs the user in without a form, none is filled.
   */
  async signIn(appOrigin: string, options: SignInOptions, stopAt = this.appPage): Promise<Followed> {
    const start = `${appOrigin}/api/oauth/login?returnTo=${encodeURIComponent(options.returnTo ?? '/')}`;
    const toFusionAuth = await this.follow(start, {}, stopAt);
    if (toFusionAuth.next !== undefined || toFusionAuth.last.status !== 200) return toFusionAuth;
    const fields = {
      loginId: options.email,
      password: options.password ?? 'password123',
      ...(options.rememberDevice !== false && { rememberDevice: 'true' }),
    };
    const back = await this.submitForm(toFusionAuth.last, fields, stopAt);
    return { ...back, hops: [...toFusionAuth.hops, ...back.hops] };
  }

  /**
   * Signs in as far as FusionAuth's redirect to the app's callback, and answers that URL instead of
   * requesting it, for a test to replay, alter or hand to another browser.
   */
  async callbackUrlOf(appOrigin: string, options: SignInOptions): Promise<string> {
    const reached = await this.signIn(appOrigin, options, (next) => next.pathname === '/api/oauth/callback');
    if (reached.next === undefined) {
      throw new Error(`no redirect to the callback: ${reached.last.status} ${reached.last.body.slice(0, 500)}`);
    }
    return reached.next;
  }
}

/** What a browser sends for a form: its named inputs (ticked boxes only), selects and text areas. */
function formFields(form: HTMLElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    const type = (input.getAttribute('type') ?? 'text').toLowerCase();
    if (!name || type === 'submit' || type === 'button' || type === 'image' || type === 'reset') continue;
    if ((type === 'checkbox' || type === 'radio') && !input.hasAttribute('checked')) continue;
    fields[name] = input.getAttribute('value') ?? (type === 'checkbox' ? 'on' : '');
  }
  for (const select of form.querySelectorAll('select')) {
    const name = select.getAttribute('name');
    const chosen = select.querySelector('option[selected]') ?? select.querySelector('option');
    if (name) fields[name] = chosen?.getAttribute('value') ?? chosen?.text ?? '';
  }
  for (const area of form.querySelectorAll('textarea')) {
    const name = area.getAttribute('name');
    if (name) fields[name] = area.text;
  }
  return fields;
}
