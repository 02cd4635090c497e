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

void t.test('requests sharing a session at once each sign its cookie from memory, with no second HMAC', async (t) => {
  const reference = new Signer(secret, 'sha256');
  const signer = sessionCookieSigner(secret);
  const cookie = reference.sign('shared-session');
  // Two parallel requests of one browser: both verify, then both rebuild the cookie.
  signer.unsign(cookie);
  signer.unsign(cookie);
  const hmacs = t.capture(Signer.prototype, 'sign', Signer.prototype.sign);
  t.equal(signer.sign('shared-session'), cookie);
  t.equal(signer.sign('shared-session'), cookie);
  t.equal(hmacs().length, 0, 'neither signed it again');
  t.equal(signer.remembered, 1, 'one cookie, remembered once');
});

void t.test(
  'remembered cookies do not pile up: past a thousand, the least recently used are forgotten first',
  async (t) => {
    const reference = new Signer(secret, 'sha256');
    const signer = sessionCookieSigner(secret);
    for (let index = 0; index < 5_000; index += 1) signer.unsign(reference.sign(`id-${index}`));
    t.equal(signer.remembered, 1_000);
    const hmacs = t.capture(Signer.prototype, 'sign', Signer.prototype.sign);
    t.equal(signer.sign('id-4999'), reference.sign('id-4999'), 'the latest is remembered');
    t.equal(hmacs().length, 1, 'only the reference signed');
    t.equal(signer.sign('id-0'), reference.sign('id-0'), 'the oldest is signed again, the same');
    t.equal(hmacs().length, 2, 'by the signer and by the reference');
  },
);
