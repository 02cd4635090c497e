import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../schemas/errors.js';

/** Vite names built assets by content hash, so a cached one can never be stale. */
const hashedAsset = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export interface SpaOptions {
  /** The folder of the app's built SPA (Vite's output), served at `/`; unset: no SPA, an API alone. */
  webRoot?: string | undefined;
}

/** Whether a request that matched no route is the browser asking for one of the SPA's pages. */
export function wantsSpaPage(method: string, url: string, accept: string | undefined): boolean {
  const path = url.split('?')[0] ?? '';
  const api = path === '/api' || path.startsWith('/api/');
  return (method === 'GET' || method === 'HEAD') && !api && (accept ?? '').includes('text/html');
}

/**
 * Serves the app's built SPA: hashed assets cached for a year, `index.html` never cached (so a new
 * release is picked up at once), and `index.html` for every other page the browser asks for
 * outside `/api`, so that the SPA's own routes survive a reload. Every other unknown route is a
 * 404 in the API's shape: Fastify takes one not-found handler per prefix, so it lives here, beside
 * the one exception to it.
 */
async function spa(app: FastifyInstance, { webRoot }: SpaOptions): Promise<void> {
  const built = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (webRoot !== undefined && !built) app.log.warn({ root: webRoot }, 'no built SPA to serve: run npm run build');
  if (built) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', hashedAsset.test(path) ? 'public, max-age=31536000, immutable' : 'no-store');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (built && wantsSpaPage(request.method, request.url, request.headers.accept)) {
      return reply.sendFile('index.html');
    }
    const body: ErrorBody = {
      code: 'not_found',
      message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
    };
    return reply.code(404).send(body);
  });
}

export default fp(spa, { name: 'spa', fastify: '5.x', dependencies: ['error-answers'] });
