import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildBackend, startStandIn, testConfig } from '@native-login/test-support';
import { configVariables, type AppPrefix } from '@native-login/session-login';
import { storeApp } from '@native-login/store';
import { DCLinter } from 'dclint';
import { validate } from 'dockerfile-utils';
import t from 'tap';
import { parse } from 'yaml';

// No container engine runs here: the compose file and the Dockerfile are read as text and checked
// against what the apps really read and serve.
const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');

interface Service {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required?: boolean }>;
  healthcheck?: { test: string[] };
}
const compose = parse(await read('docker/docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const dockerfile = await read('docker/backend.Dockerfile');
const caddyfile = await read('docker/proxy/Caddyfile');

/** `KEY=value` lines of .env.example, commented-out examples included. */
const documented = new Set(
  (await read('.env.example'))
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line.trim())?.[1])
    .filter((name): name is string => name !== undefined),
);

const backends = Object.entries(compose.services).filter(([, service]) => service.build?.dockerfile !== undefined);

void t.test('two instances of each backend, built from the backend Dockerfile, behind the proxy', async (t) => {
  t.same(backends.map(([name]) => name).sort(), ['forum-1', 'forum-2', 'store-1', 'store-2']);
  for (const [name, service] of backends) {
    t.equal(service.build?.dockerfile, 'docker/backend.Dockerfile', `${name} is built from the backend Dockerfile`);
    t.match(service.env_file, [{ path: '../.env' }], `${name} reads the one .env`);
  }
  for (const name of ['store-1:3000', 'store-2:3000', 'forum-1:3001', 'forum-2:3001']) {
    t.ok(caddyfile.includes(name), `the proxy sends requests to ${name}`);
  }
  for (const [site, instances] of [
    ['store.localhost:8443', 'store-instances'],
    ['forum.localhost:8444', 'forum-instances'],
  ]) {
    t.ok(caddyfile.includes(`${site} {\n\timport ${instances}\n}`), `${site} goes to the ${instances}`);
  }
});

void t.test('every variable the compose file gives a backend is one it reads and .env.example documents', async (t) => {
  for (const [name, service] of backends) {
    const prefix: AppPrefix = service.build?.args?.['APP'] === 'forum' ? 'FORUM' : 'STORE';
    const reads = new Set(configVariables(prefix));
    for (const variable of Object.keys(service.environment ?? {})) {
      t.ok(reads.has(variable), `${name}: ${variable} is read by the ${prefix.toLowerCase()}`);
      t.ok(documented.has(variable), `${name}: ${variable} is documented in .env.example`);
    }
    const port = service.environment?.[`${prefix}_PORT`];
    t.equal(
      service.build?.args?.['PORT'],
      port,
      `${name}: the image's PORT (its health check's) is the one it listens on`,
    );
    t.equal(service.environment?.['NODE_ENV'], 'production');
  }
});

void t.test('the health checks ask /readyz, which the backend serves', async (t) => {
  t.match(
    dockerfile,
    /HEALTHCHECK[^\n]*\\\n\s*CMD \["node", "-e", "fetch\(`http:\/\/127\.0\.0\.1:\$\{process\.env\.PORT\}\/readyz`\)/,
  );
  t.match(caddyfile, /health_uri \/readyz/);
  const standIn = await startStandIn(t);
  const app = await buildBackend(storeApp, testConfig('STORE', standIn));
  t.teardown(() => app.close());
  t.ok(app.hasRoute({ method: 'GET', url: '/readyz' }), 'GET /readyz is a route');
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'and answers ready');
});

void t.test('the image: multi-stage, production dependencies only, an unprivileged user, node as PID 1', async (t) => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  t.equal(stages.length, 2, 'a build stage and a run stage');
  const run = stages[1] ?? '';
  t.match(run, /npm ci --omit=dev/, 'the run stage installs production dependencies only');
  t.notMatch(run, /COPY (packages|apps) /, 'and copies no sources, only what the build stage built');
  t.match(run, /NODE_ENV=production/);
  t.match(run, /^USER node$/m, 'it runs as node, not root');
  t.match(run, /^CMD \["sh", "-c", "exec node /m, 'exec: node replaces the shell, so SIGTERM reaches it');
});

void t.test("FusionAuth is given every variable the kickstart reads, the apps' own URLs", async (t) => {
  const kickstartReads = [...(await read('docker/fusionauth/kickstart.json')).matchAll(/#\{ENV\.([A-Z0-9_]+)\}/g)].map(
    (match) => match[1] ?? '',
  );
  t.same(
    [...new Set(kickstartReads)].sort(),
    ['FORUM_ORIGIN', 'FORUM_WEBHOOK_URL', 'STORE_ORIGIN', 'STORE_WEBHOOK_URL'],
    'the kickstart reads the origins and webhook targets',
  );
  const fusionAuth = compose.services['fusionauth']?.environment ?? {};
  for (const [name, service] of backends) {
    const prefix = service.build?.args?.['APP'] === 'forum' ? 'FORUM' : 'STORE';
    for (const variable of [`${prefix}_ORIGIN`, `${prefix}_WEBHOOK_URL`]) {
      t.ok(documented.has(variable), `${variable} is documented in .env.example`);
      t.ok(service.environment?.[variable], `${name} is given ${variable}`);
      t.equal(fusionAuth[variable], service.environment?.[variable], `${name} and FusionAuth agree on ${variable}`);
    }
    // The webhook target is a private listener of the proxy, which sends it on to the instances.
    const webhook = new URL(service.environment?.[`${prefix}_WEBHOOK_URL`] ?? '');
    t.equal(webhook.hostname, 'proxy');
    t.ok(
      caddyfile.includes(
        `:${webhook.port} {\n\thandle ${webhook.pathname} {\n\t\timport ${prefix.toLowerCase()}-instances\n\t}\n\thandle {\n\t\trespond 404\n\t}\n}`,
      ),
      `the proxy's :${webhook.port} sends ${webhook.pathname} to the instances, and nothing else`,
    );
  }
});

void t.test("the Dockerfile passes dockerfile-utils' checks, the compose file dclint's", async (t) => {
  t.same(
    validate(dockerfile).map(
      ({ message, range }) => `line ${range.start.line + 1}: ${typeof message === 'string' ? message : message.value}`,
    ),
    [],
    'no diagnostic on the Dockerfile',
  );
  // Every rule at its own level, but those that only ask for keys and services in alphabetical order.
  const linter = new DCLinter({
    rules: {
      'service-keys-order': 0,
      'services-alphabetical-order': 0,
      'top-level-properties-order': 0,
      'service-dependencies-alphabetical-order': 0,
    },
    quiet: false,
    debug: false,
    exclude: [],
  });
  const [result] = linter.lintFiles([fileURLToPath(new URL('docker/docker-compose.yml', root))], false);
  t.same(
    result?.messages.map(({ line, message }) => `line ${line}: ${message}`),
    [],
    'no error or warning on the compose file',
  );
});
