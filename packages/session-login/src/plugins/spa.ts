import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../schemas/errors.js';

/** Vite names built assets by content hash, so a cached one can never be stale. */
const hashedAsset = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The Brotli and gzip copies the build writes beside a file (`precompressedAssets`, in ../vite.ts). */
const compressedCopy = /\.(br|gz)$/;

/**
 * How long a browser may keep one of the SPA's files: a hashed asset for a year, as it is (a new
 * build gives new content a new name); a page never, so that a new release is picked up at once;
 * any other file (the favicon, copied as it is from `public/`) for a day, as its name stays the same
 * from one release to the next. A compressed copy is kept as long as the file it stands for.
 */
export function spaCachePolicy(path: string): string {
  const file = path.replace(compressedCopy, '');
  if (hashedAsset.test(file)) return 'public, max-age=31536000, immutable';
  if (file.endsWith('.html')) return 'no-store';
  return 'public, max-age=86400';
}

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
 * Serves the app's built SPA, each file as the build compressed it when the browser accepts Brotli
 * or gzip, cached as `spaCachePolicy` says, and `index.html` for every other page the browser asks
 * for outside `/api`, so that the SPA's own routes survive a reload. Every other unknown route is a
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
      // The build compressed each file once (../vite.ts), so that no answer spends CPU on it. A
      // copy is reached through Accept-Encoding alone: at a URL of its own it would be opaque bytes.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders: (reply, path) => {
        reply.header('cache-control', spaCachePolicy(path));
      },
    });
    if (existsSync(join(webRoot, 'favicon.svg'))) {
      // Browsers ask for /favicon.ico on a page that names no icon (a JSON answer such as
      // /api/openapi.json or /healthz): the SPA's own icon, rather than a 404 on every such page.
      app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) => reply.sendFile('favicon.svg'));
    }
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
