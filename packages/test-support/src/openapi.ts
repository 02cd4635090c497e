import { Validator } from '@seriousme/openapi-schema-validator';
import { serverOptions, type AppConfig } from '@native-login/session-login';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import type { Test } from 'tap';
import type { AppPlugin } from './backend-fixture.js';

interface Operation {
  responses?: Record<string, unknown>;
  requestBody?: unknown;
}

/**
 * Builds the app and checks its published OpenAPI document: valid against the OpenAPI 3 schema,
 * and listing every route the app registered (but the reference page's own and HEAD), each with
 * its responses, the error answers of every `/api` route, and the body of every route that takes one.
 */
export async function assertOpenApiListsEveryRoute(t: Test, plugin: AppPlugin, config: AppConfig): Promise<void> {
  const app = Fastify(serverOptions(config));
  const registered: Array<{ method: string; url: string; hasBody: boolean; hidden: boolean }> = [];
  app.addHook('onRoute', (route) => {
    // @fastify/swagger's `hide`, read without its type augmentation (this package does not load it).
    const hidden = Reflect.get(route.schema ?? {}, 'hide') === true;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registered.push({ method, url: route.url, hasBody: Boolean(route.schema?.body), hidden });
    }
  });
  await app.register(fp(plugin), { config });
  t.teardown(() => app.close());
  const answer = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(answer.statusCode, 200, 'GET /api/openapi.json');
  const document = answer.json<{ openapi: string; paths: Record<string, Record<string, Operation>> }>();

  const validator = new Validator();
  const result = await validator.validate(document);
  t.ok(result.valid, `valid OpenAPI ${document.openapi}`, { errors: result.errors });

  const listed = registered.filter(({ hidden }) => !hidden);
  t.ok(listed.length > 0, 'the app registered routes');
  for (const { method, url, hasBody } of listed) {
    const path = url.replace(/:(\w+)/g, '{$1}');
    const operation = document.paths[path]?.[method.toLowerCase()];
    t.ok(operation, `${method} ${url} is documented`);
    if (!operation) continue;
    t.ok(Object.keys(operation.responses ?? {}).length > 0, `${method} ${url}: its answers`);
    if (url.startsWith('/api/')) {
      t.ok(operation.responses?.['4XX'] ?? operation.responses?.['4xx'], `${method} ${url}: its 4xx answer`);
    }
    if (hasBody) t.ok(operation.requestBody, `${method} ${url}: its request body`);
  }
  const documented = Object.values(document.paths).reduce(
    (count, operations) => count + Object.keys(operations).length,
    0,
  );
  t.equal(documented, listed.length, 'and nothing that is not a route');

  const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
  t.equal(docs.statusCode, 200, 'the API reference page answers');
  t.match(docs.headers['content-security-policy'], /style-src 'self' 'unsafe-inline'/, 'under its own policy');
}
