import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RelyingParty } from '../oauth/relying-party.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This app as FusionAuth's OAuth client (openid-client). Present only when the app offers the
     * `oauth` flow (`config.oauth` is set): ask `hasDecorator('relyingParty')` outside that flow.
     */
    relyingParty: RelyingParty;
  }
}

/**
 * The OAuth client of the app, for the `oauth` login flow and the logout that follows it. It
 * reaches FusionAuth only when first asked (discovery is lazy), so the app starts, and serves the
 * native flow, while FusionAuth is still coming up.
 */
async function relyingParty(app: FastifyInstance): Promise<void> {
  const { config } = app;
  if (!config.oauth) throw new Error('the relying party needs the oauth settings (LOGIN_FLOWS offering oauth)');
  app.decorate(
    'relyingParty',
    new RelyingParty({
      issuer: config.fusionAuth.publicUrl,
      backChannelUrl: config.fusionAuth.url,
      clientId: config.applicationId,
      clientSecret: config.oauth.clientSecret,
      redirectUri: config.oauth.redirectUri,
      postLogoutRedirectUri: config.oauth.postLogoutRedirectUri,
      timeoutMs: config.fusionAuth.timeoutMs,
    }),
  );
}

export default fp(relyingParty, { name: 'relying-party', fastify: '5.x', dependencies: ['app-config'] });
