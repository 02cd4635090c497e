// The security-critical modules of packages/session-login, in groups that share their tests. Each
// group's mutants run against the tap files written for those modules (and the flows that lean on
// them), not against every file of the package: a surviving mutant then costs seconds, not the
// whole suite, and the score says what these tests catch. A mutant that only another test file
// kills counts as a survivor here, so a group's score is a lower bound.

/** @param {string} path */
const src = (path) => `packages/session-login/src/${path}`;
/** @param {string} path */
const test = (path) => `packages/session-login/test/${path}`;

/** @type {Record<string, { mutate: string[], testFiles: string[] }>} */
export const groups = {
  csrf: {
    mutate: [src('plugins/csrf.ts')],
    testFiles: [test('plugins/csrf.test.ts'), test('hardening.test.ts')],
  },
  webhooks: {
    mutate: [src('routes/webhook-routes.ts')],
    // The OpenAPI test holds every route to its summary, tags and answers.
    testFiles: [test('routes/webhook-routes.test.ts'), test('plugins/openapi.test.ts')],
  },
  throttle: {
    mutate: [src('security/login-throttle.ts'), src('security/attempt-slots/redis-attempt-slots.ts')],
    testFiles: [
      test('plugins/login-throttle.test.ts'),
      test('security/attempt-slots/redis-attempt-slots.test.ts'),
      // The limit on sign-ins started at FusionAuth is the OAuth flow's.
      test('login-flows/oauth-login.test.ts'),
    ],
  },
  records: {
    mutate: [
      src('session/records/redis-session-records.ts'),
      src('session/records/session-records.ts'),
      // Ending many sessions at once, and the oldest beyond the per-user limit.
      src('session/ending-sessions.ts'),
    ],
    testFiles: [
      test('session/records/session-records.test.ts'),
      test('session/ending-sessions.test.ts'),
      test('routes/account-sessions-routes.test.ts'),
    ],
  },
  lifecycle: {
    mutate: [src('session/session-service.ts')],
    testFiles: [
      test('session/session-service.test.ts'),
      test('plugins/sessions.test.ts'),
      test('login-flows/native-login.test.ts'),
      test('login-flows/oauth-login.test.ts'),
      test('routes/account-sessions-routes.test.ts'),
      test('session-login.test.ts'),
    ],
  },
  outcomes: {
    mutate: [src('fusionauth/login-outcome.ts'), src('oauth/return-to.ts'), src('oauth/sign-in-outcome.ts')],
    testFiles: [
      test('fusionauth/login-outcome.test.ts'),
      test('oauth/return-to.test.ts'),
      test('oauth/sign-in-outcome.test.ts'),
      test('login-flows/native-login.test.ts'),
      test('login-flows/oauth-login.test.ts'),
    ],
  },
};
