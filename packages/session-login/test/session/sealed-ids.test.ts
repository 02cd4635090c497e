import t from 'tap';
import { openId, sealId } from '../../src/session/sealed-ids.js';

const sessionId = 'a-session-id-only-the-cookie-holds';
const changePasswordId = 'zmF3Lx0yG8tV1vTtE6JmZ8o7hQ2lS9k4cR5wN3pU1aB';

void t.test('a sealed id opens with the session id it was sealed for, and only with it', async (t) => {
  const sealed = sealId(sessionId, changePasswordId);
  t.not(sealed, changePasswordId);
  t.notOk(sealed.includes(changePasswordId), 'the store never sees the id');
  t.equal(openId(sessionId, sealed), changePasswordId);
  t.equal(openId('another-session-id', sealed), undefined, "another session's key opens nothing");
  t.not(sealId(sessionId, changePasswordId), sealed, 'a fresh nonce each time');
});

void t.test('anything but a sealed id opens to nothing', async (t) => {
  const sealed = sealId(sessionId, changePasswordId);
  const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
  for (const text of ['', 'short', changePasswordId, tampered]) t.equal(openId(sessionId, text), undefined, text);
});
