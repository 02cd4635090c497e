import { assertOpenApiListsEveryRoute, startStandIn, testConfig } from '@native-login/test-support';
import t from 'tap';
import notesApp from '../support/notes-app.js';

const standIn = await startStandIn(t);

void t.test("the OpenAPI document is valid and lists every route of the library's app", async (t) => {
  await assertOpenApiListsEveryRoute(t, notesApp, testConfig('STORE', standIn));
});

void t.test('with both login flows, it lists the OAuth routes and the login flows on offer', async (t) => {
  await assertOpenApiListsEveryRoute(t, notesApp, testConfig('STORE', standIn, { STORE_LOGIN_FLOWS: 'native,oauth' }));
});

void t.test('in OAuth-only mode, the native routes are not there to list', async (t) => {
  await assertOpenApiListsEveryRoute(t, notesApp, testConfig('STORE', standIn, { STORE_LOGIN_FLOWS: 'oauth' }));
});

void t.test('the API reference page is served from the package, under a policy of its own', async (t) => {
  const Fastify = (await import('fastify')).default;
  const fp = (await import('fastify-plugin')).default;
  const { serverOptions } = await import('../../src/index.js');
  const config = testConfig('STORE', standIn);
  const app = Fastify(serverOptions(config));
  await app.register(fp(notesApp), { config });
  t.teardown(() => app.close());
  const page = await app.inject({ method: 'GET', url: '/api/docs/' });
  t.match(page.body, /swagger-ui/);
  t.notMatch(page.body, /https?:\/\/(?!localhost)/, 'nothing is loaded from elsewhere');
  const bundle = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' });
  t.equal(bundle.statusCode, 200, 'its script comes from this server');
  const api = await app.inject({ method: 'GET', url: '/api/hello' });
  t.match(api.headers['content-security-policy'], /style-src 'self';/, 'every other answer keeps the strict policy');
});

void t.test(
  'every route of the library is described: a summary, a tag, its answers, no empty description',
  async (t) => {
    const Fastify = (await import('fastify')).default;
    const fp = (await import('fastify-plugin')).default;
    const { serverOptions } = await import('../../src/index.js');
    const config = testConfig('STORE', standIn, { STORE_LOGIN_FLOWS: 'native,oauth' });
    const app = Fastify(serverOptions(config));
    await app.register(fp(notesApp), { config });
    t.teardown(() => app.close());
    type Operation = { summary?: string; description?: string; tags?: string[]; responses?: Record<string, unknown> };
    const { paths } = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    t.match(
      paths['/api/fusionauth/webhook']?.['post']?.description,
      /X-FusionAuth-Signature-JWT/,
      'the webhook says what FusionAuth must send',
    );
    // The notes app's own routes are the test's, not the library's.
    const ours = Object.entries(paths).filter(([path]) => !['/api/notes', '/api/hello'].includes(path));
    t.ok(ours.length > 10, `${ours.length} paths of the library`);
    for (const [path, operations] of ours) {
      for (const [method, { summary, description, tags, responses = {} }] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        t.match(summary, /\w+ \w+/, `${route}: a summary`);
        t.ok(tags && tags.length > 0 && tags.every((tag) => /\w/.test(tag)), `${route}: its tags`);
        if (description !== undefined) t.match(description, /\w+ \w+/, `${route}: its description says something`);
        const statuses = Object.keys(responses);
        t.ok(
          statuses.some((status) => /^[23]\d\d$/.test(status)),
          `${route}: its answer (${statuses.join(', ')})`,
        );
        // The API's errors are `{ code, message }`; the probes (/healthz, /readyz) answer load balancers.
        if (path.startsWith('/api/')) {
          t.ok(statuses.includes('4XX') && statuses.includes('5XX'), `${route}: its errors (${statuses.join(', ')})`);
        }
      }
    }
  },
);
