import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors/api-error.js';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const rejected = (reason: string) => new ApiError(403, 'csrf_rejected', `The request was refused: ${reason}.`);

/**
 * Cross-site request forgery defence for a JSON API, as Duende BFF and OWASP describe it: a
 * state-changing request must carry `X-CSRF: 1` (a custom header no cross-site form or simple
 * request can set without a CORS preflight, which this API never grants), and must not come from
 * another origin where the browser says so (`Origin`, `Sec-Fetch-Site`). Bodies other than JSON are
 * already refused with 415 by the content-type parsers. It guards the scope it is registered in,
 * before the session is loaded: a forged request costs no Redis round trip.
 */
async function csrf(scope: FastifyInstance): Promise<void> {
  const { origin: configuredOrigin } = scope.config;
  /** Whether `origin` is this app's: its configured public origin, or the one the request was addressed to. */
  const ownOrigin = (request: FastifyRequest, origin: string) =>
    origin === configuredOrigin || origin === `${request.protocol}://${request.host}`;

  /** Why the request is refused, or undefined when it may go on. */
  const refusal = (request: FastifyRequest): ApiError | undefined => {
    if (!stateChanging.has(request.method)) return undefined;
    if (request.headers['x-csrf'] !== '1') return rejected('the X-CSRF header is missing');
    const origin = request.headers.origin;
    if (origin !== undefined && !ownOrigin(request, origin)) return rejected(`origin ${origin} is not this app`);
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return rejected(`it came from a ${site} page`);
    return undefined;
  };

  // Callback-style, as every hook on the guarded read's path: an async hook costs a promise each time.
  scope.addHook('onRequest', (request, _reply, done) => done(refusal(request)));
}

export default fp(csrf, {
  name: 'csrf',
  // Stryker disable next-line StringLiteral: the range only refuses a Fastify this package does not install.
  fastify: '5.x',
  dependencies: ['app-config', 'error-answers'],
});
