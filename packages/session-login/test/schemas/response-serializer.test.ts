import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import t from 'tap';
import { z } from 'zod';
import { responseSerializerCompiler } from '../../src/schemas/response-serializer.js';
import { currentSession, sessionList } from '../../src/schemas/session.js';

const serialize = (schema: z.ZodType, check: boolean) =>
  responseSerializerCompiler({ check })({ schema, method: 'GET', url: '/test', httpStatus: '200' });

const session = {
  user: { id: 'u-1', email: 'sam@example.com', firstName: 'Sam', roles: ['customer'] },
  session: { expiresAt: '2026-12-02T10:00:00.000Z', absoluteExpiresAt: '2026-12-02T18:00:00.000Z' },
};

void t.test('writes what JSON.stringify writes of zod’s parse, for the API’s own shapes', async (t) => {
  const summary = {
    id: 'kO3sWFCd6_NYefSVYnltIraeGlDFptYgd8-aaWXvDus',
    createdAt: '2026-12-02T09:00:00.000Z',
    lastSeenAt: '2026-12-02T09:30:00.000Z',
    ip: '203.0.113.7',
    userAgent: 'Chrome 142 on Linux',
    current: true,
    signedInWith: 'single_sign_on',
  };
  for (const [schema, value] of [
    [currentSession, session],
    [
      sessionList,
      { sessions: [summary, { ...summary, current: false, signedInWith: 'password' }], total: 3, nextOffset: 2 },
    ],
    [sessionList, { sessions: [], total: 0 }],
  ] as const) {
    const text = serialize(schema, false)(value);
    t.same(JSON.parse(text), JSON.parse(JSON.stringify(schema.parse(value))));
    t.equal(serialize(schema, true)(value), text, 'checked, the same text');
  }
});

void t.test('like zod, it writes only what the schema names: a field no schema lists never leaves', async (t) => {
  const withSecrets = { ...session, refreshTokenId: 'rt-1', user: { ...session.user, password: 'hunter2' } };
  for (const check of [false, true]) {
    const text = serialize(currentSession, check)(withSecrets);
    t.notMatch(text, /rt-1|hunter2|refreshTokenId|password/, check ? 'checked' : 'unchecked');
    t.same(JSON.parse(text), session);
  }
});

void t.test('checked, an answer its schema does not describe fails instead of going out', async (t) => {
  const { user, ...noUser } = session;
  t.ok(user);
  t.throws(() => serialize(currentSession, true)(noUser), { code: 'FST_ERR_RESPONSE_SERIALIZATION' });
  t.throws(() => serialize(currentSession, true)({ ...session, session: { expiresAt: 'soon' } }), {
    code: 'FST_ERR_RESPONSE_SERIALIZATION',
  });
});

void t.test('checked, an answer the generated serializer would write differently from zod fails', async (t) => {
  // A union of objects: zod keeps the first member that parses, with its keys; fast-json-stringify
  // picks a member by the JSON Schema's anyOf and may keep other keys. Where they part, the check says so.
  const shapes = z.union([z.object({ kind: z.literal('a') }), z.object({ kind: z.string(), extra: z.string() })]);
  const value = { kind: 'a', extra: 'kept by one, dropped by the other' };
  const unchecked = serialize(shapes, false)(value);
  const byZod = JSON.stringify(shapes.parse(value));
  t.not(unchecked, byZod, 'the two do part here');
  t.throws(() => serialize(shapes, true)(value), /fast-json-stringify wrote .* zod /);
});

void t.test('a route answers through it: the status’s schema, and the error shape on a refusal', async (t) => {
  const app = Fastify();
  app.setSerializerCompiler(responseSerializerCompiler({ check: true }));
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/user',
      { schema: { response: { 200: currentSession, 401: z.object({ code: z.string(), message: z.string() }) } } },
      async (request, reply) =>
        request.headers.cookie
          ? session
          : reply.code(401).send({ code: 'unauthenticated', message: 'Please sign in.' }),
    );
  t.teardown(() => app.close());
  const signedIn = await app.inject({ url: '/api/user', headers: { cookie: 'yes' } });
  t.equal(signedIn.statusCode, 200);
  t.same(signedIn.json(), session);
  const visitor = await app.inject({ url: '/api/user' });
  t.equal(visitor.statusCode, 401);
  t.same(visitor.json(), { code: 'unauthenticated', message: 'Please sign in.' });
});
