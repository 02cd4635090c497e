import t from 'tap';
import { decodeSession, encodeSession } from '../../src/session/session-codec.js';
import { describeDevice } from '../../src/session/device-description.js';
import { recordExpiresAt } from '../../src/session/session-data.js';
import type { StoredSession } from '../../src/index.js';

const createdAt = Date.UTC(2026, 10, 21, 9, 30);
const signedIn: StoredSession = {
  applicationId: '34d87dd6-bdc6-438b-a3b5-6e1953c993f0',
  user: {
    id: 'cf367aca-b9b3-4b55-9f14-75469b3a01db',
    email: 'shopper@example.com',
    firstName: 'Sam',
    lastName: 'Shopper',
    roles: ['customer'],
  },
  createdAt,
  idleExpiresAt: createdAt + 1_800_000,
  absoluteExpiresAt: createdAt + 43_200_000,
  refreshTokenId: 'af96a13f-fd85-458f-9ec5-bcc19ac1ab0f',
  signedInWith: 'single_sign_on',
  device: { ip: '2001:db8:85a3::8a2e:370:7334', description: 'Chrome 142 on Linux' },
};

void t.test('a signed-in session comes back as it went in', async (t) => {
  t.strictSame(decodeSession(encodeSession(signedIn)), signedIn);
  const bare: StoredSession = {
    applicationId: 'app',
    user: { id: 'u', email: 'a@example.com', roles: [] },
    createdAt,
    idleExpiresAt: createdAt + 1,
    absoluteExpiresAt: createdAt + 2,
    signedInWith: 'password',
    device: { ip: '', description: '' },
  };
  t.strictSame(decodeSession(encodeSession(bare)), bare, 'absent names and refresh token stay absent');
});

void t.test(
  'how the user signed in is in the shape tag, and records from before it was read as a password',
  async (t) => {
    const tuple = JSON.parse(encodeSession(signedIn) ?? '[]') as unknown[];
    t.equal(tuple.length, 13, 'no element of its own');
    for (const [signedInWith, tag] of [
      ['password', 1],
      ['fusionauth', 3],
      ['single_sign_on', 4],
    ] as const) {
      t.equal(decodeSession(JSON.stringify([tag, ...tuple.slice(1)]))?.signedInWith, signedInWith, `tag ${tag}`);
    }
    const earlier = decodeSession(JSON.stringify([1, ...tuple.slice(1)]));
    t.strictSame(earlier, { ...signedIn, signedInWith: 'password' }, 'an earlier record, whole');
    t.equal(decodeSession(JSON.stringify([5, ...tuple.slice(1)])), undefined, 'an unknown tag is not guessed');
  },
);

void t.test('a pending second factor comes back as it went in', async (t) => {
  const pending: StoredSession = {
    applicationId: 'app',
    twoFactor: {
      twoFactorId: 'tf',
      loginId: 'mfa@example.com',
      expiresAt: createdAt + 300_000,
      failedAttempts: 2,
    },
  };
  t.strictSame(decodeSession(encodeSession(pending)), pending);
});

void t.test('a pending password change comes back as it went in, and lasts as long as it waits', async (t) => {
  const pending: StoredSession = {
    applicationId: 'app',
    passwordChange: { changePasswordId: 'cp', loginId: 'changeme@example.com', expiresAt: createdAt + 600_000 },
  };
  t.strictSame(decodeSession(encodeSession(pending)), pending);
  t.equal(recordExpiresAt(pending), createdAt + 600_000);
  t.equal(decodeSession(JSON.stringify([5, 'app', 'cp', 'x'])), undefined, 'a short tuple is not guessed');
});

void t.test('a signed-in session with a long email, IPv6 and a browser stays under 256 bytes', async (t) => {
  const text = encodeSession(signedIn) ?? '';
  t.ok(text.length < 256, `${text.length} bytes`);
  t.notMatch(text, /applicationId|idleExpiresAt|email"/, 'no field names are stored');
});

void t.test('nothing worth keeping is not encoded', async (t) => {
  t.equal(encodeSession({}), undefined);
  t.equal(encodeSession({ applicationId: 'app' }), undefined);
});

void t.test('text of no known shape reads as no session', async (t) => {
  for (const text of [null, undefined, '', 'not json', '{"user":{}}', '[]', '[9,"x"]', '[1,"too short"]', '"1"']) {
    t.equal(decodeSession(text), undefined, JSON.stringify(text));
  }
});

void t.test('devices are described by browser and system, not by the raw header', async (t) => {
  t.equal(
    describeDevice(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
    ),
    'Chrome 142 on Linux',
  );
  t.equal(
    describeDevice(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
    ),
    'Safari 17 on iOS',
  );
  t.equal(describeDevice('Laptop Browser/1.0'), 'Laptop Browser/1.0', 'an unknown agent is kept as it is');
  t.equal(describeDevice('x'.repeat(500)).length, 40, 'and shortened');
  t.equal(describeDevice(undefined), '');
});
