import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventType,
  LogoutBehavior,
  TransactionType,
  type EventConfiguration,
  type FusionAuthClient,
  type Webhook,
} from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import { errorPageStatus, ssoEndFiresRevokeEvent } from '../../src/oauth/assumptions.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  errorPageJson,
  forumApp,
  oauthClient,
  reachedApp,
  signInForTokens,
  storeApp,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);
const forum = forumApp(target);
const { storeOrigin, forumOrigin } = target;

/** A browser signed in at `app` with "Keep me signed in": it holds an SSO session. */
async function signedIn(app: OAuthApp, user: OAuthUser, scope = 'openid offline_access') {
  const browser = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, app, { scope });
  const tokens = await signInForTokens(
    target,
    browser,
    request,
    { loginId: user.email, password: user.password },
    { rememberDevice: true },
  );
  return { browser, tokens };
}

function logoutUrl(parameters: Record<string, string>): URL {
  return new URL(`/oauth2/logout?${new URLSearchParams(parameters).toString()}`, target.url);
}

/** The logout page's iframes and its meta refresh (theme `oauth2Logout.ftl`). */
function logoutPage(page: Page): { iframes: string[]; refresh: string | undefined } {
  const iframes = page.document.querySelectorAll('iframe').map((frame) => frame.getAttribute('src') ?? '');
  const refresh = page.document
    .querySelectorAll('meta')
    .find((meta) => meta.getAttribute('http-equiv')?.toLowerCase() === 'refresh')
    ?.getAttribute('content');
  return { iframes, refresh };
}

/** `2; url=<target>` split in two. */
function parseRefresh(content: string | undefined): { seconds: number; url: URL | undefined } {
  const match = /^\s*(\d+)\s*;\s*url=(.*)$/i.exec(content ?? '');
  return { seconds: Number(match?.[1]), url: match?.[2] ? new URL(match[2], target.url) : undefined };
}

async function isSignedOut(browser: OAuthBrowser, app: OAuthApp): Promise<boolean> {
  const page = await browser.visit((await authorizeRequest(target, app)).url);
  return page.status === 200 && page.hasField('loginId') && !reachedApp(page, app.redirectUri);
}

function ssoSessionsOf(client: FusionAuthClient, userId: string) {
  return client
    .retrieveRefreshTokens(userId)
    .then((answer) => (answer.response.refreshTokens ?? []).filter((token) => !token.applicationId));
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  "AllApplications: 200 HTML, an iframe per logoutURL, a 2 s refresh to the target; the apps' refresh tokens survive",
  async (t) => {
    const user = await oauthUser(t, target.client, {
      applicationIds: [target.storeApplicationId, target.forumApplicationId],
    });
    const { browser, tokens } = await signedIn(store, user);
    t.equal((await ssoSessionsOf(target.client, user.id)).length, 1, 'an SSO session before');

    const page = await browser.request(
      'GET',
      logoutUrl({ client_id: store.clientId, post_logout_redirect_uri: `${storeOrigin}/`, state: 'after logout' }),
    );
    t.equal(page.status, 200, 'not the documented 302 (#342)');
    t.match(page.contentType, /^text\/html/);
    const { iframes, refresh } = logoutPage(page);
    for (const url of [
      `${storeOrigin}/api/oauth/frontchannel-logout`,
      `${forumOrigin}/api/oauth/frontchannel-logout`,
    ]) {
      t.ok(iframes.includes(url), `an iframe for ${url}`);
    }
    t.equal(new Set(iframes).size, iframes.length, 'one iframe per logout URL');
    for (const frame of page.document.querySelectorAll('iframe')) {
      t.match(frame.getAttribute('style')?.replace(/\s/g, ''), 'width:0;height:0;border:0;border:none;', 'hidden');
    }
    const { seconds, url } = parseRefresh(refresh);
    t.equal(seconds, 2, 'logoutDurationInSeconds');
    t.equal(`${url?.origin}${url?.pathname}`, `${storeOrigin}/`, 'post_logout_redirect_uri');
    t.equal(url?.searchParams.get('state'), 'after logout', 'the state travels along');

    const cleared = page.setCookie('fusionauth.sso');
    t.ok(cleared, 'fusionauth.sso is cleared');
    t.notOk(await browser.cookie('fusionauth.sso'), 'the browser holds it no more');
    t.strictSame(await ssoSessionsOf(target.client, user.id), [], 'the SSO refresh token is revoked');
    t.ok(await isSignedOut(browser, store), 'the next Store login shows the form');
    t.ok(await isSignedOut(browser, forum), 'and the Forum one');

    const appTokens = (await target.client.retrieveRefreshTokens(user.id)).response.refreshTokens ?? [];
    t.ok(
      appTokens.some((token) => token.id === tokens.refresh_token_id && token.applicationId === store.clientId),
      "the Store's refresh token survives",
    );
    const refreshed = await settle(
      oauthClient(target).exchangeRefreshTokenForAccessToken(
        tokens.refresh_token ?? '',
        store.clientId,
        store.clientSecret,
        '',
        '',
      ),
    );
    t.match(refreshed, { resolved: true, statusCode: 200 }, 'and still refreshes');
  },
);

void t.test('POST /oauth2/logout ends the SSO session as GET does', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const { browser } = await signedIn(store, user);
  const page = await browser.request(
    'POST',
    '/oauth2/logout',
    new URLSearchParams({ client_id: store.clientId, post_logout_redirect_uri: `${storeOrigin}/` }),
  );
  t.equal(page.status, 200);
  t.equal(parseRefresh(logoutPage(page).refresh).url?.href, `${storeOrigin}/`);
  t.ok(await isSignedOut(browser, store));
});

void t.test('AllApplications in a tenant: exactly the logout URLs of its applications', async (t) => {
  const tenant = await temporaryTenant(t, target);
  const first = await temporaryOAuthApp(t, target, { client: tenant.client });
  const second = await temporaryOAuthApp(t, target, { client: tenant.client });
  await temporaryOAuthApp(t, target, { client: tenant.client, oauthConfiguration: { logoutURL: undefined } });
  const user = await oauthUser(t, tenant.client, { applicationIds: [first.clientId] });
  const { browser } = await signedIn(first, user);
  const page = await browser.request(
    'GET',
    logoutUrl({ client_id: first.clientId, post_logout_redirect_uri: `${first.origin}/` }),
  );
  t.equal(page.status, 200);
  t.strictSame(logoutPage(page).iframes.sort(), [first.logoutUrl, second.logoutUrl].sort());
});

void t.test('RedirectOnly: 302 to post_logout_redirect_uri, else the logoutURL, else /', async (t) => {
  const app = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { logoutBehavior: LogoutBehavior.RedirectOnly },
  });
  const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });

  const { browser } = await signedIn(app, user);
  const page = await browser.request(
    'GET',
    logoutUrl({ client_id: app.clientId, post_logout_redirect_uri: `${app.origin}/`, state: 'xyz' }),
  );
  t.equal(page.status, 302);
  t.equal(`${page.location?.origin}${page.location?.pathname}`, `${app.origin}/`);
  t.equal(page.location?.searchParams.get('state'), 'xyz', 'the state travels along');
  t.ok(await isSignedOut(browser, app), 'the SSO session is over');

  const toLogoutUrl = await new OAuthBrowser(target.url).request('GET', logoutUrl({ client_id: app.clientId }));
  t.equal(toLogoutUrl.status, 302);
  t.equal(toLogoutUrl.location?.href, app.logoutUrl, "without post_logout_redirect_uri: the app's logoutURL");

  const bare = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { logoutBehavior: LogoutBehavior.RedirectOnly, logoutURL: undefined },
  });
  const toRoot = await new OAuthBrowser(target.url).request('GET', logoutUrl({ client_id: bare.clientId }));
  t.equal(toRoot.status, 302);
  t.equal(toRoot.location?.href, new URL('/', target.url).href, 'no logoutURL anywhere: /');
});

void t.test('id_token_hint names the application when client_id is absent', async (t) => {
  const app = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { logoutBehavior: LogoutBehavior.RedirectOnly },
  });
  const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
  const { browser, tokens } = await signedIn(app, user);
  const page = await browser.request('GET', logoutUrl({ id_token_hint: tokens.id_token ?? '' }));
  t.equal(page.status, 302);
  t.equal(page.location?.href, app.logoutUrl, "the hinted app's logoutURL");
  t.ok(await isSignedOut(browser, app));
});

void t.test('errorPageStatus: an unregistered post_logout_redirect_uri renders the error page', async (t) => {
  for (const redirect of ['https://evil.example/', `${storeOrigin}/?next=/cart`, 'http://localhost:3002/']) {
    const page = await new OAuthBrowser(target.url).request(
      'GET',
      logoutUrl({ client_id: store.clientId, post_logout_redirect_uri: redirect }),
    );
    t.equal(page.status, errorPageStatus, `${redirect}: 400`);
    t.match(page.contentType, /^text\/html/);
    t.notOk(page.location, `${redirect}: never redirected to`);
    t.notOk(page.body.includes('<iframe'), `${redirect}: no logout iframes`);
    t.match(errorPageJson(page), { error: 'invalid_request', error_reason: 'invalid_post_logout_redirect_uri' });
  }
});

void t.test('ssoEndFiresRevokeEvent: ending the SSO session and jwt.refresh-token.revoke', async (t: Test) => {
  const events: Array<Record<string, unknown>> = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { event } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: Record<string, unknown> };
      events.push(event);
      response.writeHead(200).end();
    });
  });
  // A real FusionAuth in a container reaches this process by the host name given here
  // (host.docker.internal, say); the stand-in, in this process, on the loopback address.
  const host = process.env['CONTRACT_WEBHOOK_HOST'];
  await new Promise<void>((resolve) => receiver.listen(0, host ? '0.0.0.0' : '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const url = `http://${host ?? '127.0.0.1'}:${(receiver.address() as AddressInfo).port}/webhook`;

  const tenant = await temporaryTenant(t, target, {
    eventConfiguration: {
      events: {
        [EventType.JWTRefreshTokenRevoke]: { enabled: true, transactionType: TransactionType.None },
      } as EventConfiguration['events'],
    },
  });
  const webhookId = randomUUID();
  await target.client.createWebhook(webhookId, {
    webhook: {
      url,
      global: false,
      tenantIds: [tenant.id],
      eventsEnabled: { [EventType.JWTRefreshTokenRevoke]: true } as Webhook['eventsEnabled'],
    },
  });
  t.teardown(async () => {
    await target.client.deleteWebhook(webhookId).catch(() => undefined);
  });
  const app = await temporaryOAuthApp(t, target, { client: tenant.client });
  const user = await oauthUser(t, tenant.client, { applicationIds: [app.clientId] });
  const { browser } = await signedIn(app, user, 'openid');
  const page = await browser.request('GET', logoutUrl({ client_id: app.clientId }));
  t.equal(page.status, 200);

  const revoked = () =>
    events.filter((event) => event['type'] === 'jwt.refresh-token.revoke' && event['userId'] === user.id);
  for (let waited = 0; waited < 2_000 && revoked().length === 0; waited += 50) await sleep(50);
  if (ssoEndFiresRevokeEvent) {
    t.equal(revoked().length, 1, 'one event');
    t.notOk(revoked()[0]?.['applicationId'], 'without an applicationId');
  } else {
    t.strictSame(revoked(), [], 'no event');
  }
});
