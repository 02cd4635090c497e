import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { generalError } from './api-error.js';

/** Jackson's default nesting limit, which FusionAuth's JSON parser inherits. */
const maximumDepth = 1000;

/** Whether a parsed value nests deeper than the limit; iterative, so a deep body cannot overflow the stack. */
function tooDeep(value: unknown): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth > maximumDepth) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * FusionAuth reads every request body as JSON whatever its Content-Type (the typescript client sends
 * `text/plain` with no body to /api/logout), answers an empty body as "no body", and a malformed one
 * with `[invalidJSON]`. Fastify's own parsers would answer 415 or its own 400, so they are replaced.
 * `__proto__` and `constructor.prototype` keys are dropped, as unknown properties are, and bodies
 * nested deeper than FusionAuth's parser allows are refused before anything recurses into them.
 */
function invalidJson(detail: string) {
  return generalError('[invalidJSON]', `Unable to parse JSON. Ensure the request body is valid JSON. ${detail}`);
}

export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' });
    } catch (error) {
      done(invalidJson((error as Error).message), undefined);
      return;
    }
    if (tooDeep(parsed)) done(invalidJson(`The body nests deeper than ${maximumDepth} levels.`), undefined);
    else done(null, parsed);
  });
}
