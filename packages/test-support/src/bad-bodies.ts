import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Bodies no route should accept, each with the Content-Type it is sent as. */
export const badBodies: Array<[label: string, payload: string | Buffer, contentType: string]> = [
  ['malformed JSON', '{"loginId": ', 'application/json'],
  ['empty JSON body', '', 'application/json'],
  ['a JSON array', '[1,2,3]', 'application/json'],
  ['a JSON string', '"hello"', 'application/json'],
  ['null', 'null', 'application/json'],
  [
    'wrong types',
    JSON.stringify({ loginId: 1, password: [], sku: {}, quantity: 'many', code: 7, title: [], body: {} }),
    'application/json',
  ],
  ['missing fields', JSON.stringify({ unrelated: true }), 'application/json'],
  ['__proto__', '{"__proto__": {"admin": true}, "quantity": 1, "sku": "tea-sencha"}', 'application/json'],
  ['constructor.prototype', '{"constructor": {"prototype": {"admin": true}}}', 'application/json'],
  ['deep nesting', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, 'application/json'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'],
  [
    'huge strings',
    JSON.stringify({ loginId: 'a'.repeat(100_000), title: 'b'.repeat(10_000), body: 'c' }),
    'application/json',
  ],
  ['text/plain', 'loginId=a&password=b', 'text/plain'],
  ['a form', 'loginId=a&password=b', 'application/x-www-form-urlencoded'],
  ['multipart', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--', 'multipart/form-data; boundary=x'],
];

/**
 * Sends every bad body to every route, signed in (with `cookie`) and not: each answer must be a
 * 4xx `{ code, message }` (or a success for a body the route ignores), never a 5xx or a stack trace.
 */
export async function assertBadBodiesRefused(
  t: Test,
  app: FastifyInstance,
  routes: ReadonlyArray<readonly [Method, string]>,
  cookie: string,
): Promise<void> {
  for (const [method, url] of routes) {
    for (const [label, payload, contentType] of badBodies) {
      // Logging out is what POST /api/logout is for, whatever its body: only a visitor's is sent.
      for (const headers of url === '/api/logout' ? [{}] : [{ cookie }, {}]) {
        const response = await app.inject({
          method,
          url,
          payload,
          headers: { 'content-type': contentType, 'x-csrf': '1', ...headers },
        });
        const where = `${method} ${url} with ${label}${'cookie' in headers ? ' (signed in)' : ''}`;
        t.ok(response.statusCode < 500, `${where}: ${response.statusCode}`);
        if (response.statusCode >= 400) t.match(response.json(), { code: String, message: String }, where);
        t.notMatch(response.body, /at .+\.(js|ts):\d+/, `${where}: no stack trace`);
      }
    }
  }
  t.equal(Reflect.get({}, 'admin'), undefined, 'Object.prototype is untouched');
}
