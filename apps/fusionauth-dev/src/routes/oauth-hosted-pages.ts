import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyTotp } from '../crypto/totp.js';
import { recordFailedAttempt } from '../login/failed-attempts.js';
import { checkPassword, startSecondFactor, stillAllowed } from '../login/login-flow.js';
import {
  hostedFailuresCountTowardLockout,
  hostedTwoFactorFailuresCountTowardLockout,
  notRegisteredPageStatus,
  silentAuthenticationType,
} from '../oauth/assumptions.js';
import { firstValue, type AuthorizeRequest } from '../oauth/authorize-request.js';
import {
  checked,
  hiddenFields,
  hostedPageReplies,
  stepUrl,
  type Fields,
  type PageHandler,
} from '../oauth/hosted-page-replies.js';
import { messages, refusalMessage, type MessageKey } from '../oauth/pages/messages.js';
import { pages, type LoginPage } from '../oauth/pages/render.js';
import { endSsoSession, findSsoSession, ssoCookieName, twoFactorTrustCookieName } from '../oauth/sso-sessions.js';
import type { StandInStore } from '../state/store.js';
import { loginPreventingActions } from '../users/actions.js';

/** How long "Trust this device" lasts by default (`twoFactorTrustIdTimeToLiveInSeconds`, fusionauth-java-client `ExternalIdentifierConfiguration`). */
const trustSeconds = 2_592_000;

const trustDuration = (tenant: AuthorizeRequest['tenant']) =>
  tenant.externalIdentifierConfiguration?.twoFactorTrustIdTimeToLiveInSeconds ?? trustSeconds;

/**
 * The login form, the hosted pages and the SSO session: GET and POST `/oauth2/authorize` and the
 * steps after it (the password pages are in oauth-password-pages.ts).
 */
export function hostedPageRoutes(app: FastifyInstance, store: StandInStore): void {
  const { html, toStep, errorRedirect, loginForm, withinAuthorizeRequest, finish, cookieOptions, clearSsoCookies } =
    hostedPageReplies(store);

  /** An authorize request: answered by the SSO session if it may be, else the login form. */
  const authorize: PageHandler = (request, reply, fields, valid) => {
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
    return loginForm(reply, valid.carried, {
      loginId: firstValue(fields['login_hint']) ?? '',
      error: refusal && messages[refusal],
      info: ended ? messages['[SSOSessionDeletedOrExpired]'] : undefined,
    });
  };

  app.get('/oauth2/authorize', withinAuthorizeRequest(authorize));

  app.post(
    '/oauth2/authorize',
    withinAuthorizeRequest(async (request, reply, fields, valid) => {
      const { carried } = valid;
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
        return toStep(reply, stepUrl('/oauth2/two-factor', carried, { twoFactorId, methodId }));
      }
      check.record.failedLoginInstants = [];
      return finish(request, reply, valid, {
        record: check.record,
        authenticationType: 'PASSWORD',
        authTime: Math.floor(Date.now() / 1000),
        rememberDevice,
      });
    }),
  );

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

  const twoFactorPage = (reply: FastifyReply, authorize: AuthorizeRequest, fields: Fields, page = {}) =>
    html(
      reply,
      200,
      pages.twoFactor({
        hidden: hiddenFields(authorize.carried, {
          twoFactorId: firstValue(fields['twoFactorId']),
          methodId: firstValue(fields['methodId']),
        }),
        trustDays: Math.round(trustDuration(authorize.tenant) / 86_400),
        ...page,
      }),
    );

  app.get(
    '/oauth2/two-factor',
    withinAuthorizeRequest((_request, reply, fields, valid) => {
      if (!pendingTwoFactor(fields, valid)) {
        return loginForm(reply, valid.carried, { error: messages['[TwoFactorTimeout]'] });
      }
      return twoFactorPage(reply, valid, fields);
    }),
  );

  app.post(
    '/oauth2/two-factor',
    withinAuthorizeRequest((request, reply, fields, valid) => {
      const { carried } = valid;
      const pending = pendingTwoFactor(fields, valid);
      const record = pending && store.users.get(pending.userId);
      if (!pending || !record) return loginForm(reply, carried, { error: messages['[TwoFactorTimeout]'] });
      // "123 456" as an authenticator app shows it is the same code.
      const code = firstValue(fields['code'])?.replace(/\s/g, '') ?? '';
      if (code === '') return twoFactorPage(reply, valid, fields, { fieldError: messages['[blank]'] });
      if (![...record.twoFactorSecrets.values()].some((secret) => verifyTotp(secret, code))) {
        if (hostedTwoFactorFailuresCountTowardLockout) recordFailedAttempt(store, valid.tenant, record);
        if (loginPreventingActions(store, record.user.id).length > 0) {
          store.pendingTwoFactorLogins.delete(pending.twoFactorId);
          return loginForm(reply, carried, { error: messages['[LoginPreventedExceptionTooManyTwoFactorAttempts]'] });
        }
        return twoFactorPage(reply, valid, fields, { fieldError: messages['[invalid]code'] });
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
    }),
  );

  app.get(
    '/oauth2/authorized-not-registered',
    withinAuthorizeRequest((_request, reply) =>
      html(reply, notRegisteredPageStatus, pages.notRegistered({ message: messages['authorized-not-registered'] })),
    ),
  );
}
