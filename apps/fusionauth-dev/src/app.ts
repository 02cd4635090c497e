import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { kickstartEnvironment, substituteKickstart, type Kickstart } from '@native-login/kickstart';
import { authenticateApiKeys } from './http/api-key.js';
import { answerErrorsLikeFusionAuth } from './http/error-handler.js';
import { acceptJsonBodies } from './http/json-body.js';
import { seedFromKickstart } from './kickstart/seed.js';
import { actioningUserRoutes } from './routes/actioning-users.js';
import { applicationRoutes } from './routes/applications.js';
import { changePasswordRoutes } from './routes/change-password.js';
import { devMailboxRoutes } from './routes/dev-mailbox.js';
import { emailTemplateRoutes } from './routes/email-templates.js';
import { forgotPasswordRoutes } from './routes/forgot-password.js';
import { jwtRoutes } from './routes/jwt.js';
import { keyRoutes } from './routes/keys.js';
import { loginRoutes } from './routes/login.js';
import { logoutRoutes } from './routes/logout.js';
import { oauthRoutes } from './routes/oauth.js';
import { registrationRoutes } from './routes/registrations.js';
import { statusRoutes } from './routes/status.js';
import { tenantRoutes } from './routes/tenants.js';
import { userActionRoutes } from './routes/user-actions.js';
import { userRoutes } from './routes/users.js';
import { verifyEmailRoutes } from './routes/verify-email.js';
import { webhookRoutes } from './routes/webhooks.js';
import { emitEvent } from './events/webhook-events.js';
import { StandInStore } from './state/store.js';

export interface StandInOptions {
  /** The kickstart to seed from, placeholders unresolved; without one the stand-in starts empty. */
  kickstart?: Kickstart | undefined;
  /**
   * Looked up by the kickstart's `#{ENV.NAME}` placeholders; the apps' origins and webhook URLs
   * left unset are those of the development stack (see kickstartEnvironment).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** PBKDF2 cost for every tenant; lower it for tests and benchmarks. */
  passwordHashIterations?: number | undefined;
  logger?: FastifyServerOptions['logger'];
}

export interface StandInControl {
  store: StandInStore;
  /** The kickstart as seeded, placeholders resolved once, so every reset seeds the same ids. */
  kickstart: Kickstart | undefined;
  /** Back to the state after start-up: empty, or freshly seeded from the kickstart. */
  reset(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    standIn: StandInControl;
  }
}

/** Builds the stand-in, seeded and ready; the caller decides whether and where it listens. */
export async function buildStandIn(options: StandInOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const store = new StandInStore({ passwordHashIterations: options.passwordHashIterations });
  store.emit = (type, data) => emitEvent(store, app.log, type, data);
  store.warn = (details, message) => app.log.warn(details, message);

  acceptJsonBodies(app);
  answerErrorsLikeFusionAuth(app);
  authenticateApiKeys(app, store);
  for (const routes of [
    statusRoutes,
    keyRoutes,
    tenantRoutes,
    emailTemplateRoutes,
    applicationRoutes,
    userActionRoutes,
    userRoutes,
    registrationRoutes,
    forgotPasswordRoutes,
    changePasswordRoutes,
    verifyEmailRoutes,
    actioningUserRoutes,
    loginRoutes,
    logoutRoutes,
    jwtRoutes,
    webhookRoutes,
    oauthRoutes,
    devMailboxRoutes,
  ]) {
    routes(app, store);
  }

  // Fixed for the life of the process, so that a reset brings back the same ids.
  const generatedTenantId = randomUUID();
  const kickstart =
    options.kickstart &&
    substituteKickstart(options.kickstart, {
      env: kickstartEnvironment(options.env ?? {}),
      fusionAuthTenantId: generatedTenantId,
    });
  const defaultTenantId = kickstart?.variables['defaultTenantId'] ?? generatedTenantId;

  const reset = async (): Promise<void> => {
    await store.reset({ defaultTenantId });
    if (kickstart) await seedFromKickstart(app, store, kickstart);
  };
  app.decorate('standIn', { store, kickstart, reset });
  await app.ready();
  await reset();
  return app;
}
