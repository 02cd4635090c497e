import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { cookieSettings } from '../session/cookie-settings.js';
import { helmetDirectives } from './security-headers.js';

/**
 * The API reference page's policy: the app's own, but Swagger UI sets styles inline, which the
 * SPAs' policy forbids. Loosened on the reference page alone (its routes are a scope of their own).
 */
const docsPolicy = Object.fromEntries(
  Object.entries({ ...helmetDirectives, styleSrc: ["'self'", "'unsafe-inline'"] }).map(([name, sources]) => [
    // Swagger UI takes the policy's directives by their header names (`style-src`), not helmet's.
    name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
    sources,
  ]),
);

/**
 * Publishes the app's OpenAPI document at `GET /api/openapi.json`, built from every route's zod
 * schemas (requests, responses and errors, with the shared shapes as components), and an API
 * reference at `/api/docs` (Swagger UI, served from its package: nothing comes from elsewhere).
 * Registered before any route, so that it sees them all.
 */
async function openApi(app: FastifyInstance): Promise<void> {
  const { displayName, origin, prefix } = app.config;
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${displayName} API`,
        description: `The ${displayName} backend: sign-in through FusionAuth, server-side sessions, and the ${displayName}'s own routes. Every error answer is \`{ code, message }\`; state-changing requests need the header \`X-CSRF: 1\`.`,
        version: '0.1.0',
      },
      servers: [{ url: origin }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieSettings(prefix, origin).name },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: docsPolicy,
    uiConfig: { url: '/api/openapi.json' },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(app.swagger()),
  );
}

export default fp(openApi, { name: 'openapi', fastify: '5.x', dependencies: ['app-config'] });
