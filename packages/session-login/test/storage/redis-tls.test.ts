import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, waitFor } from '@native-login/test-support';
import { Redis } from 'ioredis';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

// A Redis of this test's own that speaks only TLS and wants a password, with certificates made
// here by openssl: a CA, and a server certificate for 127.0.0.1 signed by it.
const fixture = await notesFixture(t);
const directory = await mkdtemp(join(tmpdir(), 'redis-tls-'));
const file = (name: string) => join(directory, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
openssl(
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  file('ca.key'),
  '-out',
  file('ca.crt'),
  '-days',
  '1',
  '-subj',
  '/CN=test-ca',
);
openssl(
  'req',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  file('server.key'),
  '-out',
  file('server.csr'),
  '-subj',
  '/CN=127.0.0.1',
);
await writeFile(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
openssl(
  'x509',
  '-req',
  '-in',
  file('server.csr'),
  '-CA',
  file('ca.crt'),
  '-CAkey',
  file('ca.key'),
  '-CAcreateserial',
  '-out',
  file('server.crt'),
  '-days',
  '1',
  '-extfile',
  file('ext.cnf'),
);
openssl(
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  file('other.key'),
  '-out',
  file('other-ca.crt'),
  '-days',
  '1',
  '-subj',
  '/CN=another-ca',
);

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address();
    probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
  });
});
const password = 's3cret-for-this-test';
const server = spawn(
  process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
  [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--tls-cert-file',
    file('server.crt'),
    '--tls-key-file',
    file('server.key'),
    '--tls-ca-cert-file',
    file('ca.crt'),
    '--tls-auth-clients',
    'no',
    '--requirepass',
    password,
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    directory,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
t.teardown(async () => {
  server.kill('SIGKILL');
  await rm(directory, { recursive: true, force: true });
});
const ca = await readFile(file('ca.crt'), 'utf8');
await waitFor('the TLS Redis', async () => {
  const probe = new Redis({
    host: '127.0.0.1',
    port,
    password,
    tls: { ca },
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } finally {
    probe.disconnect();
  }
});
const url = `rediss://:${password}@127.0.0.1:${port}`;
const onlyThis = { REDIS_CLUSTER_NODES: undefined, REDIS_COMMAND_TIMEOUT_MS: '1000' };

void t.test('rediss:// with a password and REDIS_TLS_CA_FILE: sessions live on the TLS Redis', async (t) => {
  const app = await fixture.build({ ...onlyThis, REDIS_URL: url, REDIS_TLS_CA_FILE: file('ca.crt') });
  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  const direct = new Redis(url, { tls: { ca } });
  t.teardown(() => direct.disconnect());
  t.ok((await direct.keys(`${fixture.redis.keyPrefix}session:*`)).length >= 1, 'the session is in it');
});

void t.test('a certificate no trusted CA signed: the app does not start', async (t) => {
  await t.rejects(fixture.build({ ...onlyThis, REDIS_URL: url, REDIS_TLS_CA_FILE: file('other-ca.crt') }), {
    name: 'ConfigError',
    message: /^Redis refused the connection: /,
  });
});

void t.test('the wrong password: the app does not start, and says why', async (t) => {
  await t.rejects(
    fixture.build({ ...onlyThis, REDIS_URL: `rediss://:wrong@127.0.0.1:${port}`, REDIS_TLS_CA_FILE: file('ca.crt') }),
    { name: 'ConfigError', message: /^Redis refused the connection: WRONGPASS/ },
  );
});
