import { randomUUID } from 'node:crypto';
import type { Errors, RegistrationRequest, RegistrationResponse } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import type { Test } from 'tap';
import t from 'tap';
import { registrationAuthenticationType } from '../../src/users/assumptions.js';
import { demoUsers } from '../support/demo-users.js';
import { deleteUserAfter, tenantWithApplication } from '../support/fixtures.js';
import { settle, type Settled } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;

const newEmail = () => `contract-${randomUUID()}@example.com`;
const password = 'a-long-enough-password';

/** `POST /api/user/registration` (a new user and their registration), the user deleted after the test. */
async function signUp(
  t: Test,
  request: RegistrationRequest,
  registering = client,
): Promise<Settled<RegistrationResponse>> {
  const outcome = await settle(registering.register('', request));
  deleteUserAfter(t, registering, outcome.response?.user?.id);
  return outcome;
}

/** The codes of one field's errors in a 400 answer. */
const codesOf = (outcome: Settled<unknown>, field: string) =>
  ((outcome.exception as Errors | undefined)?.fieldErrors?.[field] ?? []).map((error) => error.code);

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  '200: the user and the registration, with an access token; unverified where the tenant verifies',
  async (t) => {
    const email = newEmail();
    const outcome = await signUp(t, {
      user: { email, password, firstName: 'Sign', lastName: 'Up' },
      registration: { applicationId: target.storeApplicationId },
    });
    t.match(outcome, {
      resolved: true,
      statusCode: 200,
      response: {
        user: {
          id: String,
          email,
          firstName: 'Sign',
          lastName: 'Up',
          active: true,
          verified: false,
          tenantId: target.tenantId,
        },
        registration: { id: String, applicationId: target.storeApplicationId, roles: ['customer'], verified: true },
        token: String,
      },
    });
    t.notOk(JSON.stringify(outcome.response).includes(password), 'the password never comes back');
    t.match(
      decodeJwt(outcome.response?.token ?? ''),
      { sub: outcome.response?.user?.id, applicationId: target.storeApplicationId, roles: ['customer'] },
      'a token for the new registration',
    );
    t.equal(decodeJwt(outcome.response?.token ?? '')['authenticationType'], registrationAuthenticationType);
    t.match(
      outcome.response?.verificationIds,
      [{ id: String, type: 'email', value: email }],
      'the email verification that was started',
    );

    // The kickstart's tenant lets unverified users sign in (`unverified.behavior: Allow`), answering 212.
    const login = await settle(client.login({ loginId: email, password, applicationId: target.storeApplicationId }));
    t.match(login, { resolved: true, statusCode: 212, response: { user: { email, verified: false } } });
  },
);

void t.test('200 with skipVerification: verified, and the first login is a plain 200', async (t) => {
  const email = newEmail();
  const outcome = await signUp(t, {
    user: { email, password },
    registration: { applicationId: target.forumApplicationId },
    skipVerification: true,
  });
  t.match(outcome, {
    statusCode: 200,
    response: { user: { email, verified: true }, registration: { roles: ['member'] } },
  });
  t.notOk(outcome.response?.verificationIds?.length, 'no verification to complete');
  const login = await settle(
    client.login({ loginId: email.toUpperCase(), password, applicationId: target.forumApplicationId }),
  );
  t.match(login, { resolved: true, statusCode: 200, response: { token: String, refreshToken: String } });
});

void t.test('400: a duplicate email, whatever its case', async (t) => {
  const outcome = await signUp(t, {
    user: { email: demoUsers.shopper.toUpperCase(), password },
    registration: { applicationId: target.storeApplicationId },
  });
  t.match(outcome, { resolved: false, statusCode: 400, exception: { fieldErrors: Object } });
  t.same(codesOf(outcome, 'user.email'), ['[duplicate]user.email']);
  t.match((outcome.exception as Errors).fieldErrors?.['user.email']?.[0], { message: String });
});

void t.test('400: a missing, blank or malformed email; a blank password; an unknown application', async (t) => {
  const missing = await signUp(t, { user: { password }, registration: { applicationId: target.storeApplicationId } });
  t.same(codesOf(missing, 'user.email'), ['[blank]user.email']);
  const blank = await signUp(t, {
    user: { email: '', password },
    registration: { applicationId: target.storeApplicationId },
  });
  t.same(codesOf(blank, 'user.email'), ['[blank]user.email']);
  const malformed = await signUp(t, {
    user: { email: 'not-an-email', password },
    registration: { applicationId: target.storeApplicationId },
  });
  t.same(codesOf(malformed, 'user.email'), ['[notEmail]user.email']);
  const noPassword = await signUp(t, {
    user: { email: newEmail(), password: '' },
    registration: { applicationId: target.storeApplicationId },
  });
  t.same(codesOf(noPassword, 'user.password'), ['[blank]user.password']);
  const noApplication = await signUp(t, {
    user: { email: newEmail(), password },
    registration: { applicationId: randomUUID() },
  });
  t.match(noApplication, { resolved: false, statusCode: 400, exception: { fieldErrors: Object } });
});

void t.test("400: the default tenant's password rules: at least 8 characters", async (t) => {
  const outcome = await signUp(t, {
    user: { email: newEmail(), password: 'short' },
    registration: { applicationId: target.storeApplicationId },
  });
  t.match(outcome, { resolved: false, statusCode: 400 });
  t.same(codesOf(outcome, 'user.password'), ['[tooShort]user.password']);
  t.match((outcome.exception as Errors).fieldErrors?.['user.password']?.[0], { message: String });
});

void t.test("400: a tenant's password rules, one character rule at a time, after the length", async (t) => {
  const tenant = await tenantWithApplication(t, target, {
    passwordValidationRules: {
      minLength: 10,
      maxLength: 20,
      requireMixedCase: true,
      requireNonAlpha: true,
      requireNumber: true,
    },
  });
  const codesFor = async (candidate: string) =>
    codesOf(
      await signUp(
        t,
        { user: { email: newEmail(), password: candidate }, registration: { applicationId: tenant.applicationId } },
        tenant.client,
      ),
      'user.password',
    );
  t.same(await codesFor('alllowercase'), ['[singleCase]user.password'], 'an upper and a lower case letter');
  t.same(await codesFor('MixedCaseOnly'), ['[onlyAlpha]user.password'], 'a character neither letter nor digit');
  t.same(await codesFor('Mixed-Case-Only'), ['[requireNumber]user.password'], 'a number');
  t.same(await codesFor('Aa-1'), ['[tooShort]user.password']);
  t.same(await codesFor('aa-1'), ['[tooShort]user.password', '[singleCase]user.password'], 'length and one rule');
  t.same(await codesFor('Aa-1'.repeat(6)), ['[tooLong]user.password']);

  // Breached-password detection is an Enterprise feature: the Community edition does not check, so
  // one of the most breached passwords there are is accepted when it meets the rules.
  const breached = await signUp(
    t,
    { user: { email: newEmail(), password: 'Password123!' }, registration: { applicationId: tenant.applicationId } },
    tenant.client,
  );
  t.match(breached, { resolved: true, statusCode: 200 });
});

void t.test('400: the Community edition refuses to turn on breached-password detection', async (t) => {
  const tenant = await tenantWithApplication(t, target);
  const outcome = await settle(
    tenant.client.patchTenant(tenant.id, {
      tenant: { passwordValidationRules: { breachDetection: { enabled: true } } },
    }),
  );
  t.match(outcome, { resolved: false, statusCode: 400 });
  t.same(codesOf(outcome, 'tenant.passwordValidationRules.breachDetection.enabled'), [
    '[notLicensed]tenant.passwordValidationRules.breachDetection.enabled',
  ]);
});
