import { Signer } from '@fastify/cookie';
import t from 'tap';
import { sessionCookieSigner } from '../../src/session/cookie-signer.js';

const secret = 'a-session-secret-of-at-least-thirty-two-characters';

void t.test('signs exactly as @fastify/cookie does, whether or not the value was just verified', async (t) => {
  const reference = new Signer(secret, 'sha256');
  const signer = sessionCookieSigner(secret);
  const cookie = reference.sign('session-id-1');
  t.equal(signer.sign('session-id-1'), cookie, 'a value never verified');
  t.strictSame(signer.unsign(cookie), { valid: true, renew: false, value: 'session-id-1' });
  t.equal(signer.sign('session-id-1'), cookie, 'a value just verified');
  t.equal(signer.sign('session-id-1'), cookie, 'and again, once the remembered pair is used');
});

void t.test('a forged or foreign signature is refused and remembered for nothing', async (t) => {
  const signer = sessionCookieSigner(secret);
  const foreign = new Signer('another-secret-of-at-least-thirty-two-characters', 'sha256').sign('session-id-2');
  t.equal(signer.unsign(foreign).valid, false);
  t.equal(signer.unsign('session-id-2.AAAA').valid, false);
  t.equal(signer.unsign('no-signature').valid, false);
  t.equal(signer.sign('session-id-2'), new Signer(secret, 'sha256').sign('session-id-2'));
});

void t.test('ids verified and never signed again do not pile up', async (t) => {
  const reference = new Signer(secret, 'sha256');
  const signer = sessionCookieSigner(secret);
  for (let index = 0; index < 5_000; index += 1) signer.unsign(reference.sign(`id-${index}`));
  t.ok(signer.pending <= 1_000, `${signer.pending} verified ids wait, not 5,000`);
  t.equal(signer.sign('id-4999'), reference.sign('id-4999'));
  t.equal(signer.sign('id-0'), reference.sign('id-0'));
});
