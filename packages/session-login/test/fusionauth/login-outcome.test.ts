import type { LoginResponse } from '@fusionauth/typescript-client';
import t from 'tap';
import { interpretLogin } from '../../src/index.js';

const applicationId = 'store-app';
const user = {
  id: 'user-1',
  email: 'sam@example.com',
  firstName: 'Sam',
  registrations: [
    { applicationId, roles: ['customer'] },
    { applicationId: 'forum-app', roles: ['moderator'] },
  ],
};

void t.test('each FusionAuth status maps to its own outcome, by status code alone', async (t) => {
  const login = (status: number | undefined, response?: LoginResponse) =>
    interpretLogin(status, response, applicationId, false);
  t.same(login(200, { user, refreshTokenId: 'rt-1' }), {
    kind: 'authenticated',
    user: { id: 'user-1', email: 'sam@example.com', firstName: 'Sam', lastName: undefined, roles: ['customer'] },
    refreshTokenId: 'rt-1',
  });
  t.match(login(242, { twoFactorId: 'tf', methods: [{ id: 'A', method: 'authenticator' }] }), {
    kind: 'two_factor_required',
    twoFactorId: 'tf',
    methods: [{ id: 'A', method: 'authenticator' }],
  });
  // The client resolves these like a 200: each must be a refusal, never a session.
  t.match(login(202, { user, token: 'jwt' }), { kind: 'refused', code: 'not_registered', userId: 'user-1' });
  t.match(login(203, { changePasswordId: 'c', user }), {
    kind: 'password_change_required',
    changePasswordId: 'c',
    userId: 'user-1',
  });
  t.match(login(203, {}), { kind: 'refused', code: 'password_change_required' }, 'no id to change it with');
  t.match(login(212, { user }), { kind: 'refused', code: 'email_not_verified' });
  t.match(login(213, { user }), { kind: 'refused', code: 'registration_not_verified' });
  for (const [status, reason] of [
    [404, 'unknown_user_or_wrong_password'],
    [409, 'login_prevented'],
    [410, 'user_expired'],
    [423, 'user_locked'],
  ] as const) {
    t.match(login(status), { kind: 'invalid_credentials', reason }, `${status}`);
  }
  t.same(login(400), { kind: 'invalid_request' });
  t.match(login(401), { kind: 'unavailable', reason: 'api_key_rejected' });
  t.match(login(undefined), { kind: 'unavailable', reason: 'network_error' });
  t.match(login(500), { kind: 'unavailable', reason: 'server_error' });
  t.match(login(504), { kind: 'unavailable', reason: 'server_error' });
  t.match(login(200, {}), { kind: 'unavailable', reason: 'unexpected_status' }, 'a 200 without a user is no login');
  t.match(login(242, {}), { kind: 'unavailable' }, 'a 242 without a twoFactorId is no challenge');
  t.match(login(242), { kind: 'unavailable', reason: 'unexpected_status' }, 'nor a 242 without a body');
  t.match(login(200), { kind: 'unavailable', reason: 'unexpected_status' }, 'nor a 200 without a body');
  t.match(login(404), { kind: 'invalid_credentials', userId: undefined }, 'a refusal without a body names nobody');
  t.match(login(421), { kind: 'unavailable', reason: 'unexpected_status' }, '421 means nothing to the first step');
});

void t.test('the second step reads 404 as an expired twoFactorId and 421 as a wrong code', async (t) => {
  t.same(interpretLogin(404, undefined, applicationId, true), { kind: 'two_factor_expired' });
  t.same(interpretLogin(421, undefined, applicationId, true), { kind: 'invalid_code' });
  t.match(interpretLogin(200, { user }, applicationId, true), { kind: 'authenticated' });
  t.match(interpretLogin(409, undefined, applicationId, true), {
    kind: 'invalid_credentials',
    reason: 'login_prevented',
  });
});

void t.test('roles come from this application only', async (t) => {
  const outcome = interpretLogin(200, { user }, 'forum-app', false);
  t.match(outcome, { kind: 'authenticated', user: { roles: ['moderator'] } });
});

void t.test('only a 242 is a two-factor challenge, whatever else carries a twoFactorId', async (t) => {
  const withTwoFactorId = { user, twoFactorId: 'tf', methods: [{ id: 'A', method: 'authenticator' }] };
  const expected: Array<[number | undefined, boolean, string]> = [
    [200, false, 'authenticated'],
    [202, false, 'refused'],
    [203, false, 'refused'],
    [212, false, 'refused'],
    [213, false, 'refused'],
    [400, false, 'invalid_request'],
    [401, false, 'unavailable'],
    [404, false, 'invalid_credentials'],
    [404, true, 'two_factor_expired'],
    [409, false, 'invalid_credentials'],
    [410, false, 'invalid_credentials'],
    [421, true, 'invalid_code'],
    [423, false, 'invalid_credentials'],
    [241, false, 'unavailable'],
    [243, false, 'unavailable'],
    [500, false, 'unavailable'],
    [undefined, false, 'unavailable'],
  ];
  for (const [status, secondStep, kind] of expected) {
    const outcome = interpretLogin(status, withTwoFactorId, applicationId, secondStep);
    t.equal(outcome.kind, kind, `${status ?? 'no status'}${secondStep ? ' (second step)' : ''}`);
  }
  t.match(interpretLogin(242, withTwoFactorId, applicationId, false), { kind: 'two_factor_required' });
});

void t.test('a registration without roles, or none for this application, gives no roles', async (t) => {
  const withoutRoles = {
    ...user,
    registrations: [{ applicationId }, { applicationId: 'forum-app', roles: ['moderator'] }],
  };
  t.same(interpretLogin(200, { user: withoutRoles }, applicationId, false), {
    kind: 'authenticated',
    user: { id: 'user-1', email: 'sam@example.com', firstName: 'Sam', lastName: undefined, roles: [] },
    refreshTokenId: undefined,
  });
  const notRegisteredHere = { ...user, registrations: [{ applicationId: 'forum-app', roles: ['moderator'] }] };
  t.same(interpretLogin(200, { user: notRegisteredHere }, applicationId, false), {
    kind: 'authenticated',
    user: { id: 'user-1', email: 'sam@example.com', firstName: 'Sam', lastName: undefined, roles: [] },
    refreshTokenId: undefined,
  });
  const noRegistrations = { id: 'user-1', email: 'sam@example.com' };
  const outcome = interpretLogin(200, { user: noRegistrations }, applicationId, false);
  t.same(outcome.kind === 'authenticated' ? outcome.user.roles : 'not authenticated', [], 'nor does no registration');
});

void t.test('what FusionAuth may leave out: methods, their fields, the email', async (t) => {
  const login = (status: number, response: LoginResponse) => interpretLogin(status, response, applicationId, false);
  t.same(
    login(242, { twoFactorId: 'tf' }),
    { kind: 'two_factor_required', twoFactorId: 'tf', methods: [] },
    'no methods listed',
  );
  t.same(
    login(242, { twoFactorId: 'tf', methods: [{}] }),
    { kind: 'two_factor_required', twoFactorId: 'tf', methods: [{ id: '', method: '' }] },
    'a method without its id or kind',
  );
  t.match(
    login(200, { user: { id: 'user-2', username: 'sam' } }),
    { kind: 'authenticated', user: { email: 'sam' } },
    'the username when there is no email',
  );
  const nameless = login(200, { user: { id: 'user-3' } });
  t.equal(nameless.kind === 'authenticated' && nameless.user.email, '', 'and nothing when there is neither');
});
