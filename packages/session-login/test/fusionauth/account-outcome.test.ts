import t from 'tap';
import {
  interpretEmailRequest,
  interpretJoin,
  interpretPasswordChange,
  interpretSignUp,
  interpretVerification,
  type SettledCall,
  unavailableOf,
} from '../../src/fusionauth/account-outcome.js';

const settled = <T>(statusCode: number | undefined, response?: T, timedOut = false): SettledCall<T> => ({
  statusCode,
  response,
  timedOut,
});
const tooShort = { code: '[tooShort]user.password', message: 'shorter than the minimum of [8] characters.' };
const taken = { code: '[duplicate]user.email', message: 'A user with email [x] already exists.' };

void t.test('a sign-up: created, a taken address, the password rules, and anything else', async (t) => {
  t.same(interpretSignUp(settled(200, { user: { id: 'u1' }, refreshTokenId: 'rt' })), {
    kind: 'created',
    userId: 'u1',
    refreshTokenId: 'rt',
  });
  t.same(interpretSignUp(settled(400, { fieldErrors: { 'user.email': [taken] } })), { kind: 'email_taken' });
  t.same(
    interpretSignUp(settled(400, { fieldErrors: { 'user.email': [taken], 'user.password': [tooShort] } })),
    { kind: 'password_rejected', problems: ['Use at least 8 characters.'] },
    'a weak password is answered before a taken address, which it must not reveal',
  );
  t.same(interpretSignUp(settled(400, { fieldErrors: { 'user.firstName': [{ code: '[tooLong]user.firstName' }] } })), {
    kind: 'invalid_request',
    fields: ['user.firstName'],
  });
  t.match(interpretSignUp(settled(200, {})), { kind: 'unavailable', reason: 'unexpected_status' }, 'no user in a 200');
});

void t.test('an email asked for: sent, no such account (the same to the asker), no template', async (t) => {
  t.same(interpretEmailRequest(settled(200)), { kind: 'sent' });
  t.same(interpretEmailRequest(settled(404)), { kind: 'no_account' });
  t.same(interpretEmailRequest(settled(422)), { kind: 'no_account' }, 'a user without an email address');
  t.same(interpretEmailRequest(settled(403)), { kind: 'no_template' });
  t.same(interpretEmailRequest(settled(400)), { kind: 'invalid_request' });
});

void t.test('a password change: changed, spent, the rules, a trust token', async (t) => {
  t.same(interpretPasswordChange(settled(200, { oneTimePassword: 'otp' })), {
    kind: 'changed',
    oneTimePassword: 'otp',
  });
  t.same(interpretPasswordChange(settled(404)), { kind: 'expired' });
  t.same(interpretPasswordChange(settled(400, { fieldErrors: { password: [{ code: '[requireNumber]password' }] } })), {
    kind: 'password_rejected',
    problems: ['Add a digit.'],
  });
  t.same(interpretPasswordChange(settled(400, { generalErrors: [{ code: '[TrustTokenRequired]' }] })), {
    kind: 'trust_required',
  });
  t.same(interpretPasswordChange(settled(400, {})), { kind: 'invalid_request' });
});

void t.test('a verification: verified, or an id that no longer works', async (t) => {
  t.same(interpretVerification(settled(200)), { kind: 'verified' });
  t.same(interpretVerification(settled(404)), { kind: 'expired' });
  t.same(interpretVerification(settled(400)), { kind: 'expired' });
});

void t.test('no usable answer is FusionAuth unavailable, with why', async (t) => {
  t.same(unavailableOf(settled(undefined, undefined, true)), {
    kind: 'unavailable',
    reason: 'timeout',
    statusCode: undefined,
  });
  t.same(unavailableOf(settled(undefined)), { kind: 'unavailable', reason: 'network_error', statusCode: undefined });
  t.same(unavailableOf(settled(401)), { kind: 'unavailable', reason: 'api_key_rejected', statusCode: 401 });
  t.same(unavailableOf(settled(503)), { kind: 'unavailable', reason: 'server_error', statusCode: 503 });
  t.same(unavailableOf(settled(418)), { kind: 'unavailable', reason: 'unexpected_status', statusCode: 418 });
  for (const interpret of [interpretEmailRequest, interpretVerification]) {
    t.match(interpret(settled(500)), { kind: 'unavailable', reason: 'server_error' });
  }
});

void t.test('joining this app: registered, registered already, or refused', async (t) => {
  t.same(interpretJoin(settled(200, {})), { kind: 'registered' });
  t.same(
    interpretJoin(
      settled(400, {
        fieldErrors: { 'registration.applicationId': [{ code: '[duplicate]registration.applicationId' }] },
      }),
    ),
    { kind: 'already_registered' },
  );
  t.same(interpretJoin(settled(400, {})), { kind: 'invalid_request' });
  t.match(interpretJoin(settled(undefined)), { kind: 'unavailable', reason: 'network_error' });
});
