import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionUser } from '../schemas/session.js';
import { cookieOptions, cookieSettings } from '../session/cookie-settings.js';
import { sessionCookieSigner } from '../session/cookie-signer.js';
import { createSessionService, type SessionService } from '../session/session-service.js';
import { SessionStoreAdapter } from '../session/session-store-adapter.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The session layer: start, end and read sessions, and the guard of signed-in routes. */
    sessions: SessionService;
  }
  interface FastifyRequest {
    /**
     * The signed-in user of this app, for the routes behind the guard (`sessionLogin`'s
     * `guardedRoutes`): the guard sets it before their handlers run. Elsewhere it is not set; the
     * session scope's other routes (the login flows, logout) ask `sessions.userOf(request)`.
     */
    user: SessionUser;
  }
}

export interface SessionsOptions {
  /** The session cookie's name; each app has its own unless a test makes two apps share one. */
  cookieName?: string | undefined;
}

/**
 * Server-side sessions for the scope it is registered in (the API's): @fastify/session on the
 * app's records, with a signed cookie of the app's own, nothing stored for visitors, a write only
 * when a session changes, sliding expiry throttled to one write per `SESSION_EXTEND_AFTER_FRACTION`
 * of the idle timeout, and on every answer how long the session has left (`X-Session-Expires-In`,
 * `X-Session-Ends-In`).
 */
async function sessions(scope: FastifyInstance, options: SessionsOptions): Promise<void> {
  const { config, sessionRecords } = scope;
  const settings = cookieSettings(config.prefix, config.origin);
  const cookie = { ...settings, name: options.cookieName ?? settings.name };
  const store = new SessionStoreAdapter(sessionRecords);
  const service = createSessionService(config, cookie, store);
  await scope.register(fastifySession, {
    secret: sessionCookieSigner(config.sessionSecret),
    cookieName: cookie.name,
    store,
    // Nothing is stored for anonymous visitors; a session is written when it changes, not on every response.
    saveUninitialized: false,
    rolling: false,
    cookie: cookieOptions(cookie),
    idGenerator: (request) => service.newId(request),
  });
  scope.decorate('sessions', service);
  scope.decorateRequest('user', null as unknown as SessionUser);
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  scope.addHook('preHandler', (request, _reply, done) => {
    service.extendIfDue(request);
    done();
  });
  // How long the session has left, without activity and at the latest, in milliseconds rather
  // than as instants, so that a browser whose clock is wrong still warns (and signs out) at the
  // right moment, and knows which of the two will end the session.
  scope.addHook('onSend', (request, reply, payload, done) => {
    if (store.hasEnded(request.session)) {
      // The session ended while this request ran: its cookie, which @fastify/session has just
      // set again, would replace whatever session the browser holds now.
      withoutCookie(reply, cookie.name);
    } else {
      const left = service.timeLeft(request);
      if (left !== undefined) {
        reply.header('x-session-expires-in', String(left.idle));
        reply.header('x-session-ends-in', String(left.absolute));
      }
    }
    done(null, payload);
  });
}

/** Takes the cookie `name` back out of the answer's Set-Cookie header, keeping any other cookie. */
function withoutCookie(reply: FastifyReply, name: string): void {
  const header = reply.getHeader('set-cookie');
  const kept = (Array.isArray(header) ? header : header === undefined ? [] : [String(header)]).filter(
    (line) => !line.startsWith(`${name}=`),
  );
  reply.removeHeader('set-cookie');
  if (kept.length > 0) reply.header('set-cookie', kept);
}

export default fp(sessions, {
  name: 'sessions',
  fastify: '5.x',
  dependencies: ['app-config', 'session-records', '@fastify/cookie'],
});
