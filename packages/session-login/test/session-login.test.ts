import { Browser, testConfig } from '@native-login/test-support';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import t from 'tap';
import { serverOptions } from '../src/index.js';
import notesApp, { notesFixture } from './support/notes-app.js';
import { commandsOf } from './support/redis.js';

const fixture = await notesFixture(t);
// Both login flows, so that the order pinned below has every plugin in it.
const app = await fixture.build({ STORE_LOGIN_FLOWS: 'native,oauth' });

/**
 * The plugins of `app.printPlugins()` as a tree of names, without avvio's bookkeeping entries and
 * without what third-party plugins register inside themselves.
 */
function pluginTree(printed: string): string[] {
  const names: string[] = [];
  const stack: Array<{ depth: number; thirdParty: boolean }> = [];
  for (const line of printed.split('\n')) {
    const match = /^(.*?)[├└]─[┬─] (\S+)/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined || match[2] === 'bound') continue;
    // Depth 0 is the app's own plugin, as `fp` wraps it for the test; the library starts below.
    const depth = match[1].length / 2;
    if (depth === 0) continue;
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    const insideThirdParty = stack.some((entry) => entry.thirdParty);
    const name = match[2];
    stack.push({ depth, thirdParty: name.startsWith('@fastify/') });
    if (!insideThirdParty) names.push(`${'  '.repeat(depth - 1)}${name}`);
  }
  return names;
}

void t.test('the plugins load by name, in the order they must run', async (t) => {
  t.same(pluginTree(app.printPlugins()), [
    'session-login',
    '  error-answers',
    '  security-headers',
    '  graceful-close',
    '  app-config',
    '  storage',
    '    @fastify/redis',
    '  metrics',
    '  fusionauth-gateway',
    '  relying-party',
    '  session-records',
    '  login-throttle',
    '    @fastify/rate-limit',
    '  @fastify/cookie',
    '  openapi',
    '    @fastify/swagger',
    '    @fastify/swagger-ui',
    '  healthRoutes',
    '  loginFlowRoutes',
    '  spa',
    '  webhookRoutes',
    '  sessionScope',
    '    csrf',
    '    no-store',
    '    sessions',
    '      @fastify/session',
    '    native-login',
    '    oauth-login',
    '    sign-up',
    '    password-reset',
    '    email-verification',
    '    join-app',
    '    logoutRoutes',
    '    guarded',
    '      currentUserRoutes',
    '      accountSessionsRoutes',
    '      guardedRoutes',
  ]);
});

void t.test('the services are decorators of the app', async (t) => {
  for (const name of [
    'config',
    'storage',
    'fusionAuth',
    'relyingParty',
    'sessionRecords',
    'loginThrottle',
    'swagger',
  ]) {
    t.ok(app.hasDecorator(name), name);
  }
});

void t.test(
  'a login over an existing session costs one Redis round trip after FusionAuth, as a first one does',
  async (t) => {
    const browser = new Browser(app);
    t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    const sessionKeys = [`${fixture.redis.keyPrefix}session:`, `${fixture.redis.keyPrefix}user-sessions:`];
    const client = app.storage.redis;
    if (!client) throw new Error('the app runs on Redis');
    const sent = await commandsOf(fixture.redis, client, async () => {
      t.equal((await browser.login('shopper@example.com')).statusCode, 200);
      t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'the new session is live');
    });
    const commands = sent
      .filter(([, ...rest]) => rest.some((arg) => sessionKeys.some((prefix) => arg.startsWith(prefix))))
      // EVAL or EVALSHA: a connection sends a script whole the first time it runs it.
      .map(([command = '']) => command.replace(/SHA$/, ''));
    // The GET before FusionAuth is the old session loaded with the request; one script ends it and
    // one writes the new one, sent together (each names keys of one Cluster slot); the last GET is
    // the next request's.
    t.same(commands, ['GET', 'EVAL', 'EVAL', 'GET']);
  },
);

void t.test("while the server closes, a new request gets 503 in the API's shape, with Retry-After", async (t) => {
  const config = testConfig('STORE', fixture.standIn, { ...fixture.redis.environment });
  const closing = Fastify(serverOptions(config));
  await closing.register(fp(notesApp), { config, keyPrefix: fixture.redis.keyPrefix });
  let release: () => void = () => undefined;
  let reached: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const closingStarted = new Promise<void>((resolve) => (reached = resolve));
  // Something still finishing holds the close open, as a slow request would.
  closing.addHook('preClose', async () => {
    reached();
    await held;
  });
  const url = await closing.listen({ host: '127.0.0.1', port: 0 });
  const closed = closing.close();
  await closingStarted;
  const answer = await fetch(`${url}/api/hello`);
  release();
  await closed;
  t.equal(answer.status, 503);
  t.same(await answer.json(), {
    code: 'shutting_down',
    message: 'The server is restarting. Try again in 1 second.',
  });
  t.equal(answer.headers.get('retry-after'), '1');
  t.equal(answer.headers.get('connection'), 'close');
});
