import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashPassword } from '../crypto/passwords.js';
import { verifyTotp } from '../crypto/totp.js';
import { recordFailedAttempt } from '../login/failed-attempts.js';
import { checkPassword, startSecondFactor, stillAllowed } from '../login/login-flow.js';
import {
  errorPageStatus,
  hostedFailuresCountTowardLockout,
  hostedStepStatus,
  hostedTwoFactorFailuresCountTowardLockout,
  notRegisteredPageStatus,
  persistentCookieMaxAge,
  promptNoneInteractionError,
  silentAuthenticationType,
} from '../oauth/assumptions.js';
import {
  carriedFrom,
  carriedParameters,
  checkAuthorizeRequest,
  firstValue,
  type AuthorizeRequest,
  type CarriedParameters,
} from '../oauth/authorize-request.js';
import { completeAuthorization, type Authentication } from '../oauth/hosted-login.js';
import type { OAuthError } from '../oauth/oauth-error.js';
import { messages, passwordRuleMessage, refusalMessage, type MessageKey } from '../oauth/pages/messages.js';
import { pageHeaders } from '../oauth/pages/page-headers.js';
import { pages, type HiddenFields, type LoginPage } from '../oauth/pages/render.js';
import { redirectTo, type RedirectAnswer } from '../oauth/redirects.js';
import {
  endSsoSession,
  rememberDeviceCookieName,
  findSsoSession,
  ssoCookieName,
  ssoCookieOptions,
  twoFactorTrustCookieName,
} from '../oauth/sso-sessions.js';
import type { RefreshTokenRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { FieldErrors } from '../http/api-error.js';
import { publicUser } from '../users/accounts.js';
import { checkNewPassword } from '../users/password-change.js';
import { withNewPassword } from '../users/password-rules.js';
import { loginPreventingActions } from '../users/actions.js';

/** How long "Trust this device" lasts by default (`twoFactorTrustIdTimeToLiveInSeconds`, fusionauth-java-client `ExternalIdentifierConfiguration`). */
const trustSeconds = 2_592_000;

type Fields = Record<string, unknown>;

const trustDuration = (tenant: AuthorizeRequest['tenant']) =>
  tenant.externalIdentifierConfiguration?.twoFactorTrustIdTimeToLiveInSeconds ?? trustSeconds;

/** Every OAuth field, empty ones included, as FusionAuth's forms carry them; then the page's own. */
function hiddenFields(carried: CarriedParameters, extra: Record<string, string | undefined> = {}): HiddenFields {
  return [
    ...carriedParameters.map((name): [string, string] => [name, carried[name] ?? '']),
    ...Object.entries(extra).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ];
}

/** The OAuth fields that have a value, for a step's URL. */
function givenFields(carried: CarriedParameters): Array<[string, string]> {
  return Object.entries(carried).filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** The query string of a hosted step's page: its own id and the OAuth fields. */
function stepUrl(path: string, carried: CarriedParameters, extra: Record<string, string>): string {
  return `${path}?${new URLSearchParams([...Object.entries(extra), ...givenFields(carried)]).toString()}`;
}

/** Whether a checkbox with an unchecked-value twin (`__cb_<name>`) was checked. */
function checked(fields: Fields, name: string): boolean {
  const value = fields[name];
  return (Array.isArray(value) ? value : [value]).includes('true');
}

/** The login form, the hosted pages and the SSO session: GET and POST `/oauth2/authorize` and the steps after it. */
export function hostedPageRoutes(app: FastifyInstance, store: StandInStore): void {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(pageHeaders).type('text/html; charset=utf-8').send(body);

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
      pages.login({ hidden: hiddenFields(carried), loginId: '', rememberDevice: false, fieldErrors: {}, ...page }),
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
      const extra = {
        changePasswordId: completion.changePasswordId,
        rememberDevice: String(authentication.rememberDevice),
      };
      return reply
        .headers(pageHeaders)
        .redirect(stepUrl('/password/change', authorize.carried, extra), hostedStepStatus);
    }
    if (completion.ssoSession && completion.ssoSession !== authentication.ssoSession) {
      setSsoCookies(request, reply, completion.ssoSession);
    }
    if (completion.kind === 'not_registered') {
      return reply
        .headers(pageHeaders)
        .redirect(stepUrl('/oauth2/authorized-not-registered', authorize.carried, {}), hostedStepStatus);
    }
    return answerRedirect(reply, completion.answer);
  };

  /** An authorize request: answered by the SSO session if it may be, else the login form. */
  const authorize = (request: FastifyRequest, reply: FastifyReply, fields: Fields) => {
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;

    const lookup = findSsoSession(store, request.cookies[ssoCookieName], valid.tenant.id);
    let session = lookup.kind === 'live' ? lookup.session : undefined;
    const record = session && store.users.get(session.userId);
    let refusal: MessageKey | undefined;
    if (session && !record) session = undefined;
    if (session && record) {
      const refused = stillAllowed(store, record);
      if (refused) {
        // An account that may no longer sign in loses its SSO session with it.
        endSsoSession(store, session);
        clearSsoCookies(request, reply);
        refusal = refusalMessage[refused];
        session = undefined;
      }
    }
    const secondsSinceAuthentication = session ? (Date.now() - session.startInstant) / 1000 : 0;
    const loginRequired =
      valid.prompts.has('login') ||
      valid.maxAge === 0 ||
      (valid.maxAge !== undefined && secondsSinceAuthentication > valid.maxAge);

    if (session && record && !loginRequired) {
      return finish(request, reply, valid, {
        record,
        authenticationType: silentAuthenticationType,
        authTime: Math.floor(session.startInstant / 1000),
        ssoSession: session,
        rememberDevice: true,
      });
    }
    if (valid.prompts.has('none')) {
      return errorRedirect(reply, valid, {
        error: 'login_required',
        error_reason: 'authentication_required',
        error_description: 'The user is required to complete authentication.',
      });
    }
    const ended = lookup.kind === 'ended' || (lookup.kind === 'live' && !session && refusal === undefined);
    if (ended) clearSsoCookies(request, reply);
    return loginForm(reply, carried, {
      loginId: firstValue(fields['login_hint']) ?? '',
      error: refusal && messages[refusal],
      info: ended ? messages['[SSOSessionDeletedOrExpired]'] : undefined,
    });
  };

  app.get('/oauth2/authorize', async (request, reply) => authorize(request, reply, request.query as Fields));

  app.post('/oauth2/authorize', async (request, reply) => {
    const fields = (request.body ?? {}) as Fields;
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;
    const loginId = firstValue(fields['loginId'])?.trim() ?? '';
    const password = firstValue(fields['password']) ?? '';
    const rememberDevice = checked(fields, 'rememberDevice');
    const again = (page: Partial<LoginPage>) => loginForm(reply, carried, { loginId, rememberDevice, ...page });
    if (loginId === '' || password === '') {
      return again({
        fieldErrors: {
          loginId: loginId === '' ? messages['[blank]'] : undefined,
          password: password === '' ? messages['[blank]'] : undefined,
        },
      });
    }

    const check = await checkPassword(store, valid.tenant, loginId, password, {
      countFailure: hostedFailuresCountTowardLockout,
    });
    if (check.kind === 'refused') return again({ error: messages[refusalMessage[check.status]] });
    if (check.kind === 'second_factor_due' && !trusted(request, check.record.user.id)) {
      const twoFactorId = startSecondFactor(store, valid.tenant, check.record, {
        applicationId: valid.application.id,
        ipAddress: request.ip,
        noJWT: false,
        rememberDevice,
      });
      const methodId = check.record.user.twoFactor?.methods?.[0]?.id ?? '';
      return reply
        .headers(pageHeaders)
        .redirect(stepUrl('/oauth2/two-factor', carried, { twoFactorId, methodId }), hostedStepStatus);
    }
    check.record.failedLoginInstants = [];
    return finish(request, reply, valid, {
      record: check.record,
      authenticationType: 'PASSWORD',
      authTime: Math.floor(Date.now() / 1000),
      rememberDevice,
    });
  });

  /** Whether this browser holds a live "trust this device" for the user, which skips the second factor. */
  const trusted = (request: FastifyRequest, userId: string) => {
    const trust = store.twoFactorTrusts.get(request.cookies[twoFactorTrustCookieName] ?? '');
    if (trust && trust.expiresAt <= Date.now()) store.twoFactorTrusts.delete(trust.trustId);
    return trust !== undefined && trust.userId === userId && trust.expiresAt > Date.now();
  };

  const trustThisDevice = (
    request: FastifyRequest,
    reply: FastifyReply,
    tenant: AuthorizeRequest['tenant'],
    userId: string,
  ) => {
    const seconds = trustDuration(tenant);
    const trustId = randomBytes(32).toString('base64url');
    store.twoFactorTrusts.set(trustId, { trustId, userId, expiresAt: Date.now() + seconds * 1000 });
    reply.setCookie(twoFactorTrustCookieName, trustId, { ...cookieOptions(request), maxAge: seconds });
  };

  /** The pending second factor a page names, or undefined when it is unknown or its 300 s are over. */
  const pendingTwoFactor = (fields: Fields, authorize: AuthorizeRequest) => {
    const pending = store.pendingTwoFactorLogins.get(firstValue(fields['twoFactorId']) ?? '');
    if (!pending || pending.rememberDevice === undefined || pending.applicationId !== authorize.application.id) {
      // Unknown, a Login API challenge, or another application's: this request cannot finish it.
      return undefined;
    }
    if (pending.expiresAt > Date.now()) return pending;
    store.pendingTwoFactorLogins.delete(pending.twoFactorId);
    return undefined;
  };

  const twoFactorPage = (
    reply: FastifyReply,
    authorize: AuthorizeRequest,
    carried: CarriedParameters,
    fields: Fields,
    page = {},
  ) =>
    html(
      reply,
      200,
      pages.twoFactor({
        hidden: hiddenFields(carried, {
          twoFactorId: firstValue(fields['twoFactorId']),
          methodId: firstValue(fields['methodId']),
        }),
        trustDays: Math.round(trustDuration(authorize.tenant) / 86_400),
        ...page,
      }),
    );

  app.get('/oauth2/two-factor', async (request, reply) => {
    const fields = request.query as Fields;
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;
    if (!pendingTwoFactor(fields, valid)) return loginForm(reply, carried, { error: messages['[TwoFactorTimeout]'] });
    return twoFactorPage(reply, valid, carried, fields);
  });

  app.post('/oauth2/two-factor', async (request, reply) => {
    const fields = (request.body ?? {}) as Fields;
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;
    const pending = pendingTwoFactor(fields, valid);
    const record = pending && store.users.get(pending.userId);
    if (!pending || !record) return loginForm(reply, carried, { error: messages['[TwoFactorTimeout]'] });
    // "123 456" as an authenticator app shows it is the same code.
    const code = firstValue(fields['code'])?.replace(/\s/g, '') ?? '';
    if (code === '') return twoFactorPage(reply, valid, carried, fields, { fieldError: messages['[blank]'] });
    if (![...record.twoFactorSecrets.values()].some((secret) => verifyTotp(secret, code))) {
      if (hostedTwoFactorFailuresCountTowardLockout) recordFailedAttempt(store, valid.tenant, record);
      if (loginPreventingActions(store, record.user.id).length > 0) {
        store.pendingTwoFactorLogins.delete(pending.twoFactorId);
        return loginForm(reply, carried, { error: messages['[LoginPreventedExceptionTooManyTwoFactorAttempts]'] });
      }
      return twoFactorPage(reply, valid, carried, fields, { fieldError: messages['[invalid]code'] });
    }
    store.pendingTwoFactorLogins.delete(pending.twoFactorId);
    const refused = stillAllowed(store, record);
    if (refused) return loginForm(reply, carried, { error: messages[refusalMessage[refused]] });
    record.failedLoginInstants = [];
    if (checked(fields, 'trustComputer')) trustThisDevice(request, reply, valid.tenant, record.user.id);
    return finish(request, reply, valid, {
      record,
      authenticationType: 'PASSWORD',
      authTime: Math.floor(Date.now() / 1000),
      rememberDevice: pending.rememberDevice === true,
    });
  });

  const pendingChange = (fields: Fields, authorize: AuthorizeRequest) => {
    const pending = store.changePasswordIds.get(firstValue(fields['changePasswordId']) ?? '');
    if (!pending || pending.applicationId !== authorize.application.id) return undefined;
    if (pending.expiresAt > Date.now()) return pending;
    store.changePasswordIds.delete(pending.changePasswordId);
    return undefined;
  };

  const changePage = (reply: FastifyReply, carried: CarriedParameters, fields: Fields, page = {}) =>
    html(
      reply,
      200,
      pages.passwordChange({
        hidden: hiddenFields(carried, { changePasswordId: firstValue(fields['changePasswordId']) }),
        rememberDevice: checked(fields, 'rememberDevice'),
        fieldErrors: {},
        ...page,
      }),
    );

  app.get('/password/change', async (request, reply) => {
    const fields = request.query as Fields;
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;
    if (!pendingChange(fields, valid))
      return loginForm(reply, carried, { error: messages['[InvalidChangePasswordId]'] });
    return changePage(reply, carried, fields);
  });

  app.post('/password/change', async (request, reply) => {
    const fields = (request.body ?? {}) as Fields;
    const carried = carriedFrom(fields);
    const valid = validated(reply, carried);
    if (!('application' in valid)) return valid;
    const pending = pendingChange(fields, valid);
    const record = pending && store.users.get(pending.userId);
    if (!pending || !record) return loginForm(reply, carried, { error: messages['[InvalidChangePasswordId]'] });
    const password = firstValue(fields['password']) ?? '';
    const confirmation = firstValue(fields['passwordConfirm']) ?? '';
    const ruleErrors = new FieldErrors();
    if (password !== '') await checkNewPassword(valid.tenant, record, password, 'password', ruleErrors);
    const fieldErrors = {
      password: password === '' ? messages['[blank]'] : passwordRuleMessage(ruleErrors.first('password')),
      passwordConfirm:
        confirmation === ''
          ? messages['[blank]']
          : password !== '' && confirmation !== password
            ? messages['[doNotMatch]']
            : undefined,
    };
    if (fieldErrors.password || fieldErrors.passwordConfirm) return changePage(reply, carried, fields, { fieldErrors });
    // The account may have been locked since its password was checked.
    const refused = stillAllowed(store, record);
    if (refused) {
      store.changePasswordIds.delete(pending.changePasswordId);
      return loginForm(reply, carried, { error: messages[refusalMessage[refused]] });
    }

    store.changePasswordIds.delete(pending.changePasswordId);
    record.password = await hashPassword(password, store.passwordFactor(valid.tenant));
    record.passwordHistory = withNewPassword(record.passwordHistory, record.password);
    record.user.passwordChangeRequired = false;
    record.user.passwordLastUpdateInstant = Date.now();
    store.emit('user.password.update', { tenantId: record.user.tenantId, user: publicUser(record) });
    return finish(request, reply, valid, {
      record,
      authenticationType: 'PASSWORD',
      authTime: Math.floor(Date.now() / 1000),
      rememberDevice: checked(fields, 'rememberDevice'),
    });
  });

  app.get('/oauth2/authorized-not-registered', async (request, reply) => {
    const valid = validated(reply, carriedFrom(request.query));
    if (!('application' in valid)) return valid;
    return html(
      reply,
      notRegisteredPageStatus,
      pages.notRegistered({ message: messages['authorized-not-registered'] }),
    );
  });
}
