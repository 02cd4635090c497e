import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Vite names built assets by content hash, so a cached one can never be stale. */
const hashedAsset = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * Serves the app's built SPA: hashed assets cached for a year, `index.html` never cached (so a new
 * release is picked up at once), and `index.html` for every other GET outside `/api` so that the
 * SPA's own routes survive a reload. Answers whether there was a build to serve.
 */
export async function serveSpa(app: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'no built SPA to serve: run npm run build');
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', hashedAsset.test(path) ? 'public, max-age=31536000, immutable' : 'no-store');
    },
  });
  return true;
}

/** Whether a request that matched no route is the browser asking for one of the SPA's pages. */
export function wantsSpaPage(method: string, url: string, accept: string | undefined): boolean {
  const path = url.split('?')[0] ?? '';
  const api = path === '/api' || path.startsWith('/api/');
  return (method === 'GET' || method === 'HEAD') && !api && (accept ?? '').includes('text/html');
}
