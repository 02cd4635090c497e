import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { generalError } from './api-error.js';

/**
 * FusionAuth reads every request body as JSON whatever its Content-Type (the typescript client sends
 * `text/plain` with no body to /api/logout), answers an empty body as "no body", and a malformed one
 * with `[invalidJSON]`. Fastify's own parsers would answer 415 or its own 400, so they are replaced.
 * `__proto__` and `constructor.prototype` keys are dropped, as unknown properties are.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' }));
    } catch (error) {
      done(
        generalError(
          '[invalidJSON]',
          `Unable to parse JSON. Ensure the request body is valid JSON. ${(error as Error).message}`,
        ),
        undefined,
      );
    }
  });
}
