import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Errors, FusionAuthClient } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import { newVerificationIdReplacesEarlier, resendToVerifiedUser } from '../../src/users/assumptions.js';
import { deleteUserAfter, tenantWithApplication } from '../support/fixtures.js';
import { settle, type Settled } from '../support/settle.js';
import { clientWithApiKey, contractTarget, type ContractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;
const anonymous = clientWithApiKey(target, null);
const password = 'a-long-enough-password';

/** A user signed up through the Registration API without skipping verification: unverified. */
async function unverifiedUser(t: Test, on: FusionAuthClient = client, applicationId = target.storeApplicationId) {
  const email = `contract-${randomUUID()}@example.com`;
  const created = await on.register('', { user: { email, password }, registration: { applicationId } });
  const id = created.response.user?.id ?? '';
  deleteUserAfter(t, on, id);
  return { id, email };
}

const fieldCodes = (outcome: Settled<unknown>, field: string) =>
  ((outcome.exception as Errors | undefined)?.fieldErrors?.[field] ?? []).map((error) => error.code);

/** An email verification template of the test's own, deleted after it. */
async function verificationTemplate(t: Test, on: ContractTarget): Promise<string> {
  const id = randomUUID();
  t.teardown(async () => {
    await on.client.deleteEmailTemplate(id).catch(() => undefined);
  });
  await on.client.createEmailTemplate(id, {
    emailTemplate: {
      name: `contract verification ${id}`,
      defaultSubject: 'Confirm your email address',
      defaultHtmlTemplate: '<p>${verificationId}</p>',
      defaultTextTemplate: '${verificationId}',
    },
  });
  return id;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('resend answers a verification id; verifying with it marks the user verified, once', async (t) => {
  const user = await unverifiedUser(t);
  const resent = await settle(
    client.resendEmailVerificationWithApplicationTemplate(target.storeApplicationId, user.email),
  );
  t.match(resent, { resolved: true, statusCode: 200, response: { verificationId: String } });
  const verificationId = resent.response?.verificationId ?? '';

  const verified = await settle(anonymous.verifyEmailAddress({ verificationId }));
  t.match(verified, { resolved: true, statusCode: 200, response: undefined });
  t.match((await client.retrieveUser(user.id)).response.user, { verified: true });
  const login = await settle(client.login({ loginId: user.email, password, applicationId: target.storeApplicationId }));
  t.match(login, { resolved: true, statusCode: 200 }, 'no more 212');

  t.match(
    await settle(anonymous.verifyEmailAddress({ verificationId })),
    { resolved: false, statusCode: 404 },
    'spent',
  );

  const again = await settle(client.resendEmailVerification(user.email));
  t.equal(again.statusCode, resendToVerifiedUser === 'sends' ? 200 : 400, 'a resend to a verified address');
});

void t.test('a resend: whether the earlier verification id still works', async (t) => {
  const user = await unverifiedUser(t);
  const first = (await client.resendEmailVerification(user.email)).response.verificationId ?? '';
  const second = (await client.resendEmailVerification(user.email)).response.verificationId ?? '';
  t.not(first, second, 'a new id each time');
  t.equal(
    (await settle(anonymous.verifyEmailAddress({ verificationId: first }))).statusCode,
    newVerificationIdReplacesEarlier ? 404 : 200,
  );
  t.match(await settle(anonymous.verifyEmailAddress({ verificationId: second })), { statusCode: 200 });
});

void t.test('the verification id in the path (the deprecated form the client still sends) works too', async (t) => {
  const user = await unverifiedUser(t);
  const resent = await client.resendEmailVerification(user.email);
  t.match(await settle(anonymous.verifyEmail(resent.response.verificationId ?? '')), {
    resolved: true,
    statusCode: 200,
  });
  t.match((await client.retrieveUser(user.id)).response.user, { verified: true });
});

void t.test('verify: 404 for an id nobody issued, 400 for none at all', async (t) => {
  t.match(await settle(anonymous.verifyEmailAddress({ verificationId: `unknown-${randomUUID()}` })), {
    resolved: false,
    statusCode: 404,
    exception: undefined,
  });
  const blank = await settle(anonymous.verifyEmailAddress({ verificationId: '' }));
  t.match(blank, { resolved: false, statusCode: 400 });
  t.same(fieldCodes(blank, 'verificationId'), ['[blank]verificationId']);
});

void t.test(
  'resend: 404 for an unknown email with an API key, 200 and no body without one; 400 for none',
  async (t) => {
    const email = `nobody-${randomUUID()}@example.com`;
    t.match(await settle(client.resendEmailVerification(email)), { resolved: false, statusCode: 404 });
    t.match(await settle(anonymous.resendEmailVerification(email)), {
      resolved: true,
      statusCode: 200,
      response: undefined,
    });
    const user = await unverifiedUser(t);
    t.match(
      await settle(anonymous.resendEmailVerification(user.email)),
      { resolved: true, statusCode: 200, response: undefined },
      'a known user gets the email, and the caller no id',
    );
    const blank = await settle(client.resendEmailVerification(''));
    t.match(blank, { resolved: false, statusCode: 400 });
    t.same(fieldCodes(blank, 'email'), ['[blank]email']);
  },
);

void t.test('resend: 403 with an API key in a tenant that does not verify email addresses', async (t) => {
  const tenant = await tenantWithApplication(t, target, { emailConfiguration: { verifyEmail: false } });
  const user = await unverifiedUser(t, tenant.client, tenant.applicationId);
  t.match(await settle(tenant.client.resendEmailVerification(user.email)), {
    resolved: false,
    statusCode: 403,
    exception: undefined,
  });
  const tenantAnonymous = clientWithApiKey({ ...target, tenantId: tenant.id }, null);
  t.match(await settle(tenantAnonymous.resendEmailVerification(user.email)), { resolved: true, statusCode: 200 });
});

void t.test("a verification id lives the tenant's emailVerificationIdTimeToLiveInSeconds", async (t) => {
  const templateId = await verificationTemplate(t, target);
  const tenant = await tenantWithApplication(t, target, {
    emailConfiguration: { verifyEmail: true, verificationEmailTemplateId: templateId },
    externalIdentifierConfiguration: { emailVerificationIdTimeToLiveInSeconds: 1 },
  });
  const user = await unverifiedUser(t, tenant.client, tenant.applicationId);
  const resent = await tenant.client.resendEmailVerification(user.email);
  await sleep(2_000);
  const tenantAnonymous = clientWithApiKey({ ...target, tenantId: tenant.id }, null);
  t.match(await settle(tenantAnonymous.verifyEmailAddress({ verificationId: resent.response.verificationId ?? '' })), {
    resolved: false,
    statusCode: 404,
  });
  t.match((await tenant.client.retrieveUser(user.id)).response.user, { verified: false });
});
