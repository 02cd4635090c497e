import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefreshTokenRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import {
  errorPageStatus,
  hostedStepStatus,
  persistentCookieMaxAge,
  promptNoneInteractionError,
} from './assumptions.js';
import {
  carriedFrom,
  carriedParameters,
  checkAuthorizeRequest,
  type AuthorizeRequest,
  type CarriedParameters,
} from './authorize-request.js';
import { completeAuthorization, type Authentication } from './hosted-login.js';
import type { OAuthError } from './oauth-error.js';
import { pageHeaders } from './pages/page-headers.js';
import { pages, type HiddenFields, type LoginPage } from './pages/render.js';
import { redirectTo, type RedirectAnswer } from './redirects.js';
import {
  endSsoSession,
  findSsoSession,
  rememberDeviceCookieName,
  ssoCookieName,
  ssoCookieOptions,
} from './sso-sessions.js';

/** A hosted page's query or form fields, as parsed. */
export type Fields = Record<string, unknown>;

/** A hosted page's handler, given the page's fields and the OAuth request they carry, checked. */
export type PageHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  fields: Fields,
  authorize: AuthorizeRequest,
) => FastifyReply | Promise<FastifyReply>;

/** Every OAuth field, empty ones included, as FusionAuth's forms carry them; then the page's own. */
export function hiddenFields(carried: CarriedParameters, extra: Record<string, string | undefined> = {}): HiddenFields {
  return [
    ...carriedParameters.map((name): [string, string] => [name, carried[name] ?? '']),
    ...Object.entries(extra).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ];
}

/** The OAuth fields that have a value, for a step's URL or the Forgot Password request's `state`. */
export function givenFields(carried: CarriedParameters): Array<[string, string]> {
  return Object.entries(carried).filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** The URL of a hosted page: its own parameters, then the OAuth fields. */
export function stepUrl(path: string, carried: CarriedParameters, extra: Record<string, string> = {}): string {
  return `${path}?${new URLSearchParams([...Object.entries(extra), ...givenFields(carried)]).toString()}`;
}

/** Whether a checkbox with an unchecked-value twin (`__cb_<name>`) was checked. */
export function checked(fields: Fields, name: string): boolean {
  const value = fields[name];
  return (Array.isArray(value) ? value : [value]).includes('true');
}

/**
 * The answers every hosted page gives: its HTML with the pages' headers, the authorize checks
 * (the error page, or an error redirect), the login form, and the end of a login, which sets the
 * SSO cookies and sends the code to the client or shows the next page.
 */
export function hostedPageReplies(store: StandInStore) {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(pageHeaders).type('text/html; charset=utf-8').send(body);

  /** A redirect to another hosted page (the next step of a login or a workflow). */
  const toStep = (reply: FastifyReply, url: string) => reply.headers(pageHeaders).redirect(url, hostedStepStatus);

  const errorPage = (reply: FastifyReply, error: OAuthError) =>
    html(reply, errorPageStatus, pages.error({ json: JSON.stringify(error) }));

  const answerRedirect = (reply: FastifyReply, answer: RedirectAnswer) =>
    answer.kind === 'redirect'
      ? reply.headers(pageHeaders).redirect(answer.location, 302)
      : html(reply, 200, pages.formPost({ action: answer.action, fields: answer.fields }));

  const cookieOptions = (request: FastifyRequest) => ssoCookieOptions(request.protocol === 'https');

  const setSsoCookies = (request: FastifyRequest, reply: FastifyReply, session: RefreshTokenRecord) => {
    const options = { ...cookieOptions(request), maxAge: persistentCookieMaxAge };
    reply.setCookie(ssoCookieName, session.token, options);
    reply.setCookie(rememberDeviceCookieName, session.id, options);
  };

  const clearSsoCookies = (request: FastifyRequest, reply: FastifyReply) => {
    reply.clearCookie(ssoCookieName, cookieOptions(request));
    reply.clearCookie(rememberDeviceCookieName, cookieOptions(request));
  };

  const loginForm = (reply: FastifyReply, carried: CarriedParameters, page: Partial<LoginPage>) =>
    html(
      reply,
      200,
      pages.login({
        hidden: hiddenFields(carried),
        loginId: '',
        rememberDevice: false,
        fieldErrors: {},
        forgotPasswordUrl: stepUrl('/password/forgot', carried),
        ...page,
      }),
    );

  const errorRedirect = (
    reply: FastifyReply,
    target: { redirectUri: string; responseMode: AuthorizeRequest['responseMode']; state: string | undefined },
    error: OAuthError,
  ) =>
    answerRedirect(
      reply,
      redirectTo(target.redirectUri, target.responseMode, [
        ['error', error.error],
        ['error_reason', error.error_reason],
        ['error_description', error.error_description],
        ['state', target.state],
      ]),
    );

  /** A request whose client or redirect URI is wrong gets the error page; later problems an error redirect. */
  const validated = (reply: FastifyReply, carried: CarriedParameters): AuthorizeRequest | FastifyReply => {
    const check = checkAuthorizeRequest(store, carried);
    if (check.kind === 'valid') return check.request;
    if (check.kind === 'error_page') return errorPage(reply, check.error);
    return errorRedirect(reply, check, check.error);
  };

  /**
   * The route of a page within an OAuth request, which the page's fields carry (a GET's query, a
   * POST's form): the request is checked before the page does anything else, so that a wrong client
   * or redirect URI gets the error page, or an error redirect, whatever else was sent.
   */
  const withinAuthorizeRequest =
    (handle: PageHandler) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const fields = (request.method === 'POST' ? (request.body ?? {}) : request.query) as Fields;
      const valid = validated(reply, carriedFrom(fields));
      if (!('application' in valid)) return valid;
      return handle(request, reply, fields, valid);
    };

  const finish = (
    request: FastifyRequest,
    reply: FastifyReply,
    authorize: AuthorizeRequest,
    authentication: Authentication,
  ): FastifyReply => {
    if (!authentication.ssoSession) {
      // A login through the form replaces whatever SSO session this browser held, whoever's it was.
      const previous = findSsoSession(store, request.cookies[ssoCookieName], authorize.tenant.id);
      if (previous.kind === 'live') endSsoSession(store, previous.session);
      if (previous.kind !== 'none') clearSsoCookies(request, reply);
    }
    const completion = completeAuthorization(store, authorize, authentication);
    if (completion.kind !== 'redirect' && authorize.prompts.has('none')) {
      // No page may be shown: a silent login that needs the user answers the client instead.
      return errorRedirect(reply, authorize, {
        error: promptNoneInteractionError,
        error_reason: 'interaction_required',
        error_description: 'The user must interact with the login page to continue.',
      });
    }
    if (completion.kind === 'password_change') {
      return toStep(
        reply,
        stepUrl('/password/change', authorize.carried, {
          changePasswordId: completion.changePasswordId,
          rememberDevice: String(authentication.rememberDevice),
        }),
      );
    }
    if (completion.ssoSession && completion.ssoSession !== authentication.ssoSession) {
      setSsoCookies(request, reply, completion.ssoSession);
    }
    if (completion.kind === 'not_registered') {
      return toStep(reply, stepUrl('/oauth2/authorized-not-registered', authorize.carried));
    }
    return answerRedirect(reply, completion.answer);
  };

  return {
    html,
    toStep,
    errorPage,
    errorRedirect,
    loginForm,
    validated,
    withinAuthorizeRequest,
    finish,
    cookieOptions,
    clearSsoCookies,
  };
}

export type HostedPageReplies = ReturnType<typeof hostedPageReplies>;
