import type { Test } from 'tap';
import { notesFixture } from './notes-app.js';

/**
 * The notes app for the account flows' tests, which ask for many emails to a few addresses: its
 * email limits are out of the way, and the limits are tested on apps of their own (`limited`),
 * each counting apart from every other test's.
 */
export async function accountFixture(t: Test) {
  const fixture = await notesFixture(t);
  const roomy = { ACCOUNT_EMAILS_PER_ADDRESS: '1000', ACCOUNT_EMAILS_PER_IP: '1000' };
  return {
    fixture,
    standIn: fixture.standIn,
    app: await fixture.build(roomy),
    /** Another build of the app, with `environment` on top; `logStream` and the like in `options`. */
    build: (environment: Record<string, string>, options: Parameters<typeof fixture.build>[1] = {}) =>
      fixture.build({ ...roomy, ...environment }, options),
    limitedApp: (environment: Record<string, string>, name: string) =>
      fixture.build({ ...roomy, ...environment }, { keyPrefix: `${fixture.redis.keyPrefix}${name}:` }),
  };
}
