import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { FusionAuthTimeout, UndiciTransport } from '../../src/fusionauth/undici-transport.js';

interface SeenRequest {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  tenant: string | string[] | undefined;
  contentType: string | undefined;
  acceptEncoding: string | undefined;
  body: string;
}

/** Answers each login id the way FusionAuth answers one outcome, and remembers what it was sent. */
function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  const json = (status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    response.end(JSON.stringify(value));
  };
  if (request.url?.includes('userId=moved')) {
    response.writeHead(302, { location: '/api/user/action?userId=u-2&preventingLogin=true' }).end();
    return;
  }
  const loginId = body ? (JSON.parse(body) as { loginId?: string }).loginId : undefined;
  switch (loginId) {
    case 'stall@example.com':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"user": ');
      return;
    case 'hang@example.com':
      return;
    case 'two-factor@example.com':
      return json(242, { twoFactorId: 'tf-1', methods: [{ id: 'm1', method: 'authenticator' }] });
    case 'change@example.com':
      return json(203, { changePasswordId: 'c-1', changePasswordReason: 'Expired' });
    case 'wrong@example.com':
      response.writeHead(404).end();
      return;
    case 'invalid@example.com':
      return json(400, { fieldErrors: { loginId: [{ code: '[blank]loginId', message: 'Required' }] } });
    case 'down@example.com':
      // Larger than a body stream buffers, so that a body nobody read would hold its connection.
      response
        .writeHead(503, { 'content-type': 'text/html' })
        .end(`<h1>Service Unavailable</h1>${' '.repeat(100 * 1024)}`);
      return;
    case 'garbled@example.com':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"user": ');
      return;
    default:
      return json(200, { user: { id: 'u-1', email: loginId }, refreshTokenId: 'r-1', url: request.url });
  }
}

async function fakeFusionAuth(t: Test) {
  const seen: SeenRequest[] = [];
  let hungConnectionsClosed = 0;
  let connections = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        tenant: request.headers['x-fusionauth-tenantid'],
        contentType: request.headers['content-type'],
        acceptEncoding: request.headers['accept-encoding'],
        body,
      });
      if (/(hang|stall)@example\.com/.test(body)) request.socket.once('close', () => (hungConnectionsClosed += 1));
      answer(request, response, body);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    hungConnectionsClosed: () => hungConnectionsClosed,
    connections: () => connections,
  };
}

interface Outcome {
  settled: 'resolved' | 'rejected';
  statusCode: number | undefined;
  response: unknown;
  exception: unknown;
}

async function outcomeOf(call: Promise<{ statusCode: number; response: unknown }>): Promise<Outcome> {
  try {
    const { statusCode, response } = await call;
    return { settled: 'resolved', statusCode, response, exception: undefined };
  } catch (error) {
    const failure = error as { statusCode?: number; response?: unknown; exception?: unknown };
    return {
      settled: 'rejected',
      statusCode: failure.statusCode,
      response: failure.response,
      exception: failure.exception,
    };
  }
}

/** The same client twice: with the package's own transport, and with undici's. */
function clients(t: Test, url: string, timeoutMs = 2_000) {
  const reference = new FusionAuthClient('an-api-key', url, 'a-tenant-id');
  const transport = new UndiciTransport(timeoutMs);
  t.teardown(() => transport.close());
  const undici = new FusionAuthClient('an-api-key', url, 'a-tenant-id');
  undici.clientBuilder = transport;
  return { reference, undici };
}

const login = (client: FusionAuthClient, loginId: string) =>
  client.login({ loginId, password: 'a password', applicationId: 'app-1', ipAddress: '203.0.113.9' });

void t.test('every outcome settles as it does through the client’s own transport', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { reference, undici } = clients(t, fusionAuth.url);
  const loginIds = [
    'shopper@example.com',
    'two-factor@example.com',
    'change@example.com',
    'wrong@example.com',
    'invalid@example.com',
    'down@example.com',
  ];
  // Each call through both transports in turn; what FusionAuth was sent is compared call by call.
  const sentBy = async (call: () => Promise<{ statusCode: number; response: unknown }>) => {
    const before = fusionAuth.seen.length;
    const outcome = await outcomeOf(call());
    // Only the compression asked for differs: node-fetch asks for gzip, undici for none.
    const sent = fusionAuth.seen.slice(before).map(({ acceptEncoding: _ignored, ...request }) => request);
    return { outcome, sent };
  };
  type Call = (client: FusionAuthClient) => Promise<{ statusCode: number; response: unknown }>;
  const calls: Array<[string, Call]> = [
    ...loginIds.map((loginId): [string, Call] => [loginId, (client) => login(client, loginId)]),
    ['a GET with a query', (client) => client.retrieveActionsPreventingLogin('user 1')],
    ['a GET that is redirected', (client) => client.retrieveActionsPreventingLogin('moved')],
  ];
  for (const [name, call] of calls) {
    const expected = await sentBy(() => call(reference));
    const actual = await sentBy(() => call(undici));
    t.strictSame(actual.outcome, expected.outcome, `${name}: the same outcome`);
    t.strictSame(actual.sent, expected.sent, `${name}: the same method, path, API key, tenant, content type and body`);
  }
  // The last two requests: undici's call and the request it was redirected to.
  const redirected = fusionAuth.seen.slice(-2).map(({ url }) => url);
  t.strictSame(redirected, [
    '/api/user/action?userId=moved&preventingLogin=true',
    '/api/user/action?userId=u-2&preventingLogin=true',
  ]);
  t.match(fusionAuth.seen.at(-2), {
    method: 'GET',
    authorization: 'an-api-key',
    tenant: 'a-tenant-id',
    acceptEncoding: 'identity',
  });
});

void t.test('2xx answers resolve with their status (242 and 203 included); others reject with theirs', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { undici } = clients(t, fusionAuth.url);
  t.match(await outcomeOf(login(undici, 'shopper@example.com')), {
    settled: 'resolved',
    statusCode: 200,
    response: { user: { id: 'u-1' }, refreshTokenId: 'r-1' },
  });
  t.match(await outcomeOf(login(undici, 'two-factor@example.com')), {
    settled: 'resolved',
    statusCode: 242,
    response: { twoFactorId: 'tf-1' },
  });
  t.match(await outcomeOf(login(undici, 'change@example.com')), {
    settled: 'resolved',
    statusCode: 203,
    response: { changePasswordId: 'c-1' },
  });
  t.match(await outcomeOf(login(undici, 'wrong@example.com')), {
    settled: 'rejected',
    statusCode: 404,
    exception: undefined,
  });
  t.match(await outcomeOf(login(undici, 'invalid@example.com')), {
    settled: 'rejected',
    statusCode: 400,
    exception: { fieldErrors: { loginId: [{ code: '[blank]loginId' }] } },
  });
  const down = await outcomeOf(login(undici, 'down@example.com'));
  t.match(down, { settled: 'rejected', statusCode: 503, exception: undefined }, 'a body that is not JSON is not read');
  const garbled = await outcomeOf(login(undici, 'garbled@example.com'));
  t.equal(garbled.settled, 'rejected', 'JSON that does not parse');
  t.equal(garbled.statusCode, 200);
  t.ok(garbled.exception instanceof Error);
});

void t.test('answers read or not leave their connections reusable', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { undici } = clients(t, fusionAuth.url);
  const answers = ['shopper', 'wrong', 'invalid', 'down', 'garbled'].map((name) => `${name}@example.com`);
  const callEach = async () => {
    for (const loginId of answers) await outcomeOf(login(undici, loginId));
  };
  await callEach();
  const opened = fusionAuth.connections();
  for (let round = 0; round < 5; round += 1) await callEach();
  t.equal(fusionAuth.connections(), opened, `25 more calls opened no connection beyond the first ${opened}`);
});

void t.test('an answer whose body stops coming is cancelled at the deadline too', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { undici } = clients(t, fusionAuth.url, 300);
  const stalled = await outcomeOf(login(undici, 'stall@example.com'));
  t.equal(stalled.settled, 'rejected');
  t.equal(stalled.statusCode, 200, 'the status had arrived');
  t.ok(stalled.exception instanceof FusionAuthTimeout, 'a FusionAuthTimeout');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(fusionAuth.hungConnectionsClosed(), 1, 'its connection is closed');
});

void t.test('a host with a path of its own keeps it', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { undici } = clients(t, `${fusionAuth.url}/identity`);
  t.match(await outcomeOf(login(undici, 'shopper@example.com')), { response: { url: '/identity/api/login' } });
});

void t.test('a call past the deadline is cancelled, and its connection closed', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const { undici } = clients(t, fusionAuth.url, 300);
  const started = Date.now();
  const hung = await outcomeOf(login(undici, 'hang@example.com'));
  t.equal(hung.settled, 'rejected');
  t.equal(hung.statusCode, undefined);
  t.ok(hung.exception instanceof FusionAuthTimeout, 'a FusionAuthTimeout');
  t.ok(Date.now() - started < 1_500, 'at the deadline');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(fusionAuth.hungConnectionsClosed(), 1, 'the hanging connection is closed, not left open');
  t.match(
    await outcomeOf(login(undici, 'shopper@example.com')),
    { settled: 'resolved', statusCode: 200 },
    'and the next call goes through',
  );
});

void t.test('an unreachable FusionAuth rejects without a status', async (t) => {
  const fusionAuth = await fakeFusionAuth(t);
  const closedPort = new URL(fusionAuth.url);
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort.port = String((probe.address() as AddressInfo).port);
  await new Promise((resolve) => probe.close(resolve));
  const { undici } = clients(t, closedPort.origin);
  const unreachable = await outcomeOf(login(undici, 'shopper@example.com'));
  t.equal(unreachable.settled, 'rejected');
  t.equal(unreachable.statusCode, undefined);
  t.ok(unreachable.exception instanceof Error);
  t.notOk(unreachable.exception instanceof FusionAuthTimeout);
});
