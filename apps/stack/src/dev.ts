import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { createServer, type ViteDevServer } from 'vite';
import { readEnvFileOrExit } from './env-file.js';
import { describeStack, startStack } from './stack.js';

/**
 * `npm run dev`: the stack's backends on ports 3100 and 3101, and in front of them, on the usual
 * 3000 and 3001, Vite dev servers with hot reload that send `/api` to the backends. Cookies and
 * origins stay those of `npm start`, so everything behaves the same, the repository's .env included.
 */
readEnvFileOrExit();
const backendPorts = { STORE_PORT: '3100', FORUM_PORT: '3101' };
const stack = await startStack({
  STORE_ORIGIN: 'http://localhost:3000',
  FORUM_ORIGIN: 'http://localhost:3001',
  ...process.env,
  ...backendPorts,
});

const servers: ViteDevServer[] = [];
for (const [app, port, backend] of [
  ['store', 3000, 3100],
  ['forum', 3001, 3101],
] as const) {
  const server = await createServer({
    configFile: fileURLToPath(new URL(`../../${app}/web/vite.config.ts`, import.meta.url)),
    server: { port, strictPort: true, proxy: { '/api': `http://127.0.0.1:${backend}` } },
  });
  await server.listen();
  servers.push(server);
}

process.stdout.write(describeStack({ ...stack, storeUrl: 'http://localhost:3000', forumUrl: 'http://localhost:3001' }));
process.stdout.write('  Vite serves the SPAs with hot reload; the API runs on ports 3100 and 3101.\n\n');

closeWithGrace({ delay: 10_000 }, async () => {
  await Promise.all(servers.map((server) => server.close()));
  await stack.close();
});
