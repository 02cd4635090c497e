import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogCapture } from '@native-login/test-support';
import Fastify from 'fastify';
import t from 'tap';
import { backendLoggerOptions, loggableUrl } from '../../src/server/logger.js';

const config = { logLevel: 'info', displayName: 'Store' } as const;

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('with a stream: JSON lines to it, named after the app, at LOG_LEVEL, credentials redacted', async (t) => {
  const capture = new LogCapture();
  const app = Fastify({
    logger: {
      ...backendLoggerOptions(config, { stream: capture, isTTY: true }),
      // Fastify's own serializer leaves headers out; this one keeps them, to show they would be redacted.
      serializers: { req: (req) => ({ url: req.url, headers: req.headers }) },
    },
  });
  t.teardown(() => app.close());
  app.post('/login', async (request) => {
    request.log.info({ login: request.body }, 'sign-in');
    request.log.debug('below LOG_LEVEL');
    return { ok: true };
  });
  const response = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: 'sid=secret-cookie', authorization: 'Bearer secret-key', accept: 'application/json' },
    payload: { loginId: 'shopper@example.com', password: 'password123', refreshToken: 'secret-token' },
  });
  t.equal(response.statusCode, 200);

  t.same(
    capture.lines.map((line) => line['msg']),
    ['incoming request', 'sign-in', 'request completed'],
    'every line is JSON, and debug is left out at info',
  );
  t.match(capture.lines, [
    {
      name: 'store',
      req: { headers: { cookie: '[redacted]', authorization: '[redacted]', accept: 'application/json' } },
    },
    { name: 'store', login: { loginId: 'shopper@example.com', password: '[redacted]', refreshToken: '[redacted]' } },
  ]);
  t.notMatch(capture.all, /secret|password123/);
});

void t.test('in a terminal: pino-pretty, as a transport, one line per entry', async (t) => {
  const options = backendLoggerOptions(config, { isTTY: true });
  t.equal(options.stream, undefined);
  t.match(options, {
    level: 'info',
    name: 'store',
    redact: { censor: '[redacted]' },
    transport: { options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname', singleLine: true } },
  });
  const target = options.transport && 'target' in options.transport ? options.transport.target : '';
  t.match(target, /\/pino-pretty\//);
  t.ok(existsSync(fileURLToPath(target)), 'the target is pino-pretty, resolved from session-login');
});

void t.test('otherwise: JSON lines to standard output (pino’s default destination)', async (t) => {
  const options = backendLoggerOptions({ logLevel: 'warn', displayName: 'Forum' }, { isTTY: false });
  t.same(Object.keys(options).sort(), ['level', 'name', 'redact', 'serializers']);
  t.match(options, { level: 'warn', name: 'forum' });
  t.same(
    backendLoggerOptions(config),
    backendLoggerOptions(config, { isTTY: process.stdout.isTTY === true }),
    'the terminal is process.stdout’s unless told',
  );
});

void t.test("the OAuth callback's query (its code and state) never reaches the log", async (t) => {
  const capture = new LogCapture();
  const app = Fastify({ logger: backendLoggerOptions(config, { stream: capture }) });
  t.teardown(() => app.close());
  app.get('/api/oauth/callback', async () => ({ ok: true }));
  app.get('/api/products', async () => ({ ok: true }));
  await app.inject({ method: 'GET', url: '/api/oauth/callback?code=the-code&state=the-state&iss=x' });
  await app.inject({ method: 'GET', url: '/api/products?page=2' });
  const urls = capture.lines.map((line) => (line['req'] as { url?: string } | undefined)?.url).filter(Boolean);
  t.same(urls, ['/api/oauth/callback?[redacted]', '/api/products?page=2']);
  t.notMatch(capture.all, /the-code|the-state/);
  t.match(
    capture.lines[0],
    { req: { method: 'GET', host: 'localhost:80', remoteAddress: '127.0.0.1' } },
    "Fastify's other fields",
  );
  t.equal(loggableUrl('/api/oauth/callback'), '/api/oauth/callback');
  t.equal(
    loggableUrl('/reset-password?id=secret'),
    '/reset-password?[redacted]',
    "an email link's id, typed as a query",
  );
  t.equal(loggableUrl('/verify-email?id=secret'), '/verify-email?[redacted]');
  t.equal(loggableUrl('/api/oauth/callbackish?code=x'), '/api/oauth/callbackish?code=x', 'that route alone');
  t.equal(loggableUrl('/api/oauth/callback#x?code=secret'), '/api/oauth/callback?[redacted]', 'the path ends at # too');
  t.equal(loggableUrl('/%61pi/oauth/callback?code=secret'), '/%61pi/oauth/callback?[redacted]', 'however encoded');
});
