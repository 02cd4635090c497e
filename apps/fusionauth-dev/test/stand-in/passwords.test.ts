import { pbkdf2Sync } from 'node:crypto';
import { readKickstartFile } from '@native-login/kickstart';
import t from 'tap';
import { buildStandIn } from '../../src/index.js';
import { demoPassword, demoUsers } from '../support/demo-users.js';

const kickstart = await readKickstartFile();

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test("passwords are salted PBKDF2-HMAC-SHA256 at FusionAuth's cost unless told otherwise", async (t) => {
  for (const [iterations, expected] of [
    [undefined, 24_000],
    [2_000, 2_000],
  ] as const) {
    const app = await buildStandIn({ kickstart, passwordHashIterations: iterations });
    t.teardown(() => app.close());
    const { store } = app.standIn;
    const stored = store.findUserByLoginId(store.defaultTenantId, demoUsers.shopper)?.password;
    const other = store.findUserByLoginId(store.defaultTenantId, demoUsers.storeOnly)?.password;
    t.match(stored, { encryptionScheme: 'salted-pbkdf2-hmac-sha256', factor: expected });
    const salt = Buffer.from(stored?.salt ?? '', 'base64');
    t.equal(salt.length, 32, 'a 32-byte salt');
    t.not(stored?.salt, other?.salt, 'a salt of its own per user');
    t.equal(pbkdf2Sync(demoPassword, salt, expected, 32, 'sha256').toString('base64'), stored?.hash);
    t.notOk(
      JSON.stringify(store.findUserByLoginId(store.defaultTenantId, demoUsers.shopper)?.user).includes(demoPassword),
    );
  }
});
