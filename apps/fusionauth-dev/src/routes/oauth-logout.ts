import { LogoutBehavior } from '@fusionauth/typescript-client';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientIdError, errorPageStatus } from '../oauth/assumptions.js';
import type { OAuthError } from '../oauth/oauth-error.js';
import { firstValue, isAuthorizedRedirect } from '../oauth/authorize-request.js';
import { pages } from '../oauth/pages/render.js';
import { pageHeaders } from '../oauth/pages/page-headers.js';
import { endSsoSession, rememberDeviceCookieName, ssoCookieName, ssoCookieOptions } from '../oauth/sso-sessions.js';
import type { ApplicationRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

type Fields = Record<string, unknown>;

/** How long FusionAuth's logout page waits for the applications' frames before it redirects (`oauth2Logout.ftl`). */
const logoutDurationInSeconds = 2;

/**
 * The client named by `client_id`, else by the audience of an `id_token_hint` this server signed
 * (expired hints accepted, since 1.37). `unknown` when either names no application.
 */
async function clientOf(store: StandInStore, fields: Fields): Promise<ApplicationRecord | 'unknown' | undefined> {
  const clientId = firstValue(fields['client_id']);
  if (clientId !== undefined) return store.applications.get(clientId) ?? 'unknown';
  const hint = firstValue(fields['id_token_hint']);
  if (hint === undefined) return undefined;
  try {
    const key = [...store.keys.values()].find((candidate) => candidate.kid === decodeProtectedHeader(hint).kid);
    if (!key) return 'unknown';
    // The signature is checked; the expiry deliberately is not.
    await compactVerify(hint, key.verificationKey, { algorithms: [key.algorithm] });
    const { aud } = decodeJwt(hint);
    const audience = Array.isArray(aud) ? aud[0] : aud;
    return (audience !== undefined && store.applications.get(audience)) || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * `GET|POST /oauth2/logout` (fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints, fusionauth.io/docs/lifecycle/authenticate-users/logout-session-management): ends the SSO session and only that (the applications'
 * refresh tokens and JWTs survive), then either redirects (`RedirectOnly`) or answers FusionAuth's
 * page that loads every application's `logoutURL` in hidden frames and redirects after two seconds
 * (`AllApplications`, the default).
 */
export function oauthLogoutRoutes(app: FastifyInstance, store: StandInStore): void {
  const logout = async (request: FastifyRequest, reply: FastifyReply, fields: Fields) => {
    const named = await clientOf(store, fields);
    const errorPage = (error: OAuthError) =>
      reply
        .code(errorPageStatus)
        .headers(pageHeaders)
        .type('text/html; charset=utf-8')
        .send(pages.error({ json: JSON.stringify(error) }));
    if (named === 'unknown') {
      return errorPage({
        error: clientIdError,
        error_description: 'Invalid client_id or id_token_hint.',
        error_reason: 'invalid_client_id',
      });
    }
    const application = named;
    const tenant = store.tenants.get(application?.tenantId ?? store.defaultTenantId);
    const postLogout = firstValue(fields['post_logout_redirect_uri']);
    if (postLogout !== undefined && (!application || !isAuthorizedRedirect(application, postLogout))) {
      return errorPage({
        error: 'invalid_request',
        error_description: `Invalid post_logout_redirect_uri ${postLogout}`,
        error_reason: 'invalid_post_logout_redirect_uri',
      });
    }

    // The SSO session of this tenant ends; another tenant's is not this logout's to end.
    const cookie = request.cookies[ssoCookieName];
    const session = cookie === undefined ? undefined : store.refreshTokens.get(cookie);
    const ssoSession = session?.applicationId === undefined ? session : undefined;
    if (ssoSession?.tenantId === tenant?.id) {
      if (ssoSession) endSsoSession(store, ssoSession);
      const cookieOptions = ssoCookieOptions(request.protocol === 'https');
      reply.clearCookie(ssoCookieName, cookieOptions);
      reply.clearCookie(rememberDeviceCookieName, cookieOptions);
    }

    const base = postLogout ?? application?.oauthConfiguration?.logoutURL ?? tenant?.logoutURL ?? '/';
    const state = firstValue(fields['state']);
    const target =
      state === undefined
        ? base
        : `${base}${base.includes('?') ? '&' : '?'}${new URLSearchParams({ state }).toString()}`;
    reply.headers(pageHeaders);
    if (application?.oauthConfiguration?.logoutBehavior === LogoutBehavior.RedirectOnly) {
      return reply.redirect(target, 302);
    }
    const logoutUrls = [...store.applications.values()]
      .filter((candidate) => candidate.tenantId === tenant?.id && candidate.active !== false)
      .map((candidate) => candidate.oauthConfiguration?.logoutURL)
      .filter((url): url is string => url !== undefined && url !== '');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        pages.logout({ logoutUrls: [...new Set(logoutUrls)], redirectUrl: target, seconds: logoutDurationInSeconds }),
      );
  };

  app.get('/oauth2/logout', async (request, reply) => logout(request, reply, request.query as Fields));
  app.post('/oauth2/logout', async (request, reply) => {
    const fields = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
      ? ((request.body ?? {}) as Fields)
      : {};
    return logout(request, reply, { ...(request.query as Fields), ...fields });
  });
}
