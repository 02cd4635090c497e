import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { AppConfig, LoginFlowName } from './config/environment.js';
import emailVerification from './account-flows/email-verification.js';
import joinApp from './account-flows/join-app.js';
import passwordReset from './account-flows/password-reset.js';
import signUp from './account-flows/sign-up.js';
import nativeLogin from './login-flows/native-login.js';
import oauthLogin from './login-flows/oauth-login.js';
import appConfig from './plugins/app-config.js';
import csrf from './plugins/csrf.js';
import errorAnswers from './plugins/error-answers.js';
import fusionAuthGateway from './plugins/fusionauth-gateway.js';
import gracefulClose from './plugins/graceful-close.js';
import loginThrottle from './plugins/login-throttle.js';
import noStore from './plugins/no-store.js';
import openApi from './plugins/openapi.js';
import relyingParty from './plugins/relying-party.js';
import securityHeaders from './plugins/security-headers.js';
import sessionRecords from './plugins/session-records.js';
import sessions from './plugins/sessions.js';
import spa from './plugins/spa.js';
import storage from './plugins/storage.js';
import metrics from './plugins/metrics.js';
import { accountSessionsRoutes } from './routes/account-sessions-routes.js';
import { currentUserRoutes } from './routes/current-user-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { loginFlowRoutes } from './routes/login-flow-routes.js';
import { logoutRoutes } from './routes/logout-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { responseSerializerCompiler } from './schemas/response-serializer.js';

export interface SessionLoginOptions {
  config: AppConfig;
  /** The folder of the app's built SPA (Vite's output), served at `/`. */
  webRoot?: string | undefined;
  /**
   * The app's own routes that need a signed-in user of this app. They are registered in the
   * session scope, behind the guard: a handler reads `request.user`.
   */
  guardedRoutes?: FastifyPluginAsync | undefined;
  /** Namespace of every Redis key this app writes, when a test wants one of its own (default: config.keyPrefix). */
  keyPrefix?: string | undefined;
  /** The session cookie's name; each app has its own unless a test makes two apps share one. */
  cookieName?: string | undefined;
  /**
   * Checks every answer against its route's zod schema before it is sent (see
   * responseSerializerCompiler); the tests' builds turn it on, production leaves it off.
   */
  checkResponses?: boolean | undefined;
}

/** Each way of signing in is a plugin of its own, on the session layer's start and end. */
const loginFlows: Record<LoginFlowName, FastifyPluginAsync> = { native: nativeLogin, oauth: oauthLogin };

/**
 * Sign-in through the app's own backend, with server-side sessions, for one app: everything the
 * Store and the Forum share, registered in the order it must run. Cross-cutting concerns first
 * (the error shape, closing, security headers), then the services (storage, FusionAuth and, for
 * the `oauth` flow, the app as its OAuth client, session records, the sign-in limits, the OpenAPI
 * document, which must see every route), then routes: those that answer whatever state Redis is
 * in (health, the login flows on offer, the SPA, FusionAuth's webhooks), and the session scope,
 * where CSRF checks and `no-store` come before the session is loaded, the login flows the app
 * offers sit before logout, and the guarded routes sit behind the guard. The app's public routes
 * go after this plugin.
 */
async function sessionLogin(app: FastifyInstance, options: SessionLoginOptions): Promise<void> {
  const { config } = options;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check: options.checkResponses === true }));
  // Only JSON bodies: Fastify's text/plain parser would let a cross-site form post reach the API.
  app.removeContentTypeParser(['text/plain']);

  await app.register(errorAnswers);
  await app.register(securityHeaders);
  await app.register(gracefulClose);
  await app.register(appConfig, { config });
  await app.register(storage, { keyPrefix: options.keyPrefix });
  await app.register(metrics);
  await app.register(fusionAuthGateway);
  if (config.oauth) await app.register(relyingParty);
  await app.register(sessionRecords);
  await app.register(loginThrottle);
  await app.register(cookie);
  await app.register(openApi);

  await app.register(healthRoutes);
  await app.register(loginFlowRoutes);
  await app.register(spa, { webRoot: options.webRoot });
  // Server to server: signed by FusionAuth, so outside the browser-facing CSRF and session scope.
  await app.register(webhookRoutes);

  await app.register(async function sessionScope(api) {
    await api.register(csrf);
    await api.register(noStore);
    await api.register(sessions, { cookieName: options.cookieName });
    for (const flow of config.loginFlows) await api.register(loginFlows[flow]);
    // The embedded form's ways forward; with FusionAuth's page alone, its own pages offer them.
    if (config.loginFlows.includes('native')) {
      await api.register(signUp);
      await api.register(passwordReset);
      await api.register(emailVerification);
      await api.register(joinApp);
    }
    await api.register(logoutRoutes);
    await api.register(async function guarded(scope) {
      scope.addHook('onRequest', scope.sessions.requireSignIn);
      await scope.register(currentUserRoutes);
      await scope.register(accountSessionsRoutes);
      if (options.guardedRoutes) await scope.register(options.guardedRoutes);
    });
  });
}

export default fp(sessionLogin, { name: 'session-login', fastify: '5.x' });
