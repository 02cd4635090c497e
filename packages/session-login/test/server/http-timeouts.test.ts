import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const requestTimeoutMs = 1_500;
const headersTimeoutMs = 1_000;
const app = await fixture.build({
  HTTP_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
  HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '1200',
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

/**
 * Opens a raw connection, writes `head`, then `body` one byte a second, and answers what the
 * server sent, when the connection closed, and how many bytes of the body it had taken by then.
 */
async function trickle(head: string, body: string, byteEveryMs = 1_000) {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let answer = '';
  let sent = 0;
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  socket.on('error', () => undefined);
  socket.write(head);
  let open = true;
  void closed.then(() => (open = false));
  while (open && sent < body.length) {
    await sleep(byteEveryMs);
    if (open) socket.write(body[sent] ?? '');
    sent += 1;
  }
  const elapsed = await closed;
  return { answer, elapsed, sent };
}

void t.test('a body sent a byte a second is cut with 408 in the API shape within the request timeout', async (t) => {
  const body = JSON.stringify({ loginId: 'shopper@example.com', password: 'password123' });
  const { answer, elapsed, sent } = await trickle(
    `POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\nx-csrf: 1\r\ncontent-length: ${body.length}\r\n\r\n`,
    body,
  );
  t.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/, '408');
  t.match(answer, /\r\nconnection: close\r\n/i, 'and the connection closes');
  t.same(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), {
    code: 'request_timeout',
    message: 'The request took too long to arrive.',
  });
  // Node checks for late requests once a second (connectionsCheckingInterval).
  t.ok(elapsed >= requestTimeoutMs && elapsed < requestTimeoutMs + 1_500, `cut after ${elapsed} ms`);
  t.ok(sent < body.length, `after ${sent} of ${body.length} bytes`);
});

void t.test('headers sent a byte a second are cut within the headers timeout', async (t) => {
  const { answer, elapsed } = await trickle('GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'x-slow: yes\r\n\r\n');
  t.match(answer, /^HTTP\/1\.1 408 /);
  t.ok(elapsed >= headersTimeoutMs && elapsed < headersTimeoutMs + 1_500, `cut after ${elapsed} ms`);
});

void t.test(
  'a request that arrives in time is answered, and its idle connection is closed after keep-alive',
  async (t) => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.write('GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const elapsed = await closed;
    t.match(answer, /^HTTP\/1\.1 200 OK/);
    t.match(answer, /keep-alive: timeout=1/i, 'the keep-alive timeout is announced');
    t.ok(elapsed >= 1_200 && elapsed < 3_000, `the idle connection closed after ${elapsed} ms`);
  },
);

void t.test('malformed HTTP gets 400 in the API shape', async (t) => {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('NOT-HTTP at all\r\n\r\n');
  await closed;
  t.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.same(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), {
    code: 'invalid_request',
    message: 'The request is not valid HTTP.',
  });
});
