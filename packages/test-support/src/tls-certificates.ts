import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A CA, a server certificate it signed for 127.0.0.1, and another CA that signed nothing here. */
export interface TestCertificates {
  caFile: string;
  /** The CA's certificate, PEM, as a client trusts it. */
  ca: string;
  certFile: string;
  keyFile: string;
  /** A CA of its own: trusting only it, a client must refuse the server. */
  otherCaFile: string;
}

/** Makes the certificates in `directory` with the local openssl, valid for a day. */
export async function createTestCertificates(directory: string): Promise<TestCertificates> {
  const file = (name: string) => join(directory, name);
  const openssl = (...args: string[]) => run('openssl', args);
  const selfSigned = (name: string, subject: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
      '-days',
      '1',
      '-subj',
      subject,
    );
  await Promise.all([selfSigned('ca', '/CN=test-ca'), selfSigned('other-ca', '/CN=another-ca')]);
  await openssl(
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
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(
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
    file('server.ext'),
  );
  return {
    caFile: file('ca.crt'),
    ca: await readFile(file('ca.crt'), 'utf8'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    otherCaFile: file('other-ca.crt'),
  };
}
