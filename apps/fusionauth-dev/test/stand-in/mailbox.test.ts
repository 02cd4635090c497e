import { randomUUID } from 'node:crypto';
import { applicationIdByName, readKickstartFile, summarizeKickstart } from '@native-login/kickstart';
import type { InjectOptions } from 'fastify';
import { parse } from 'node-html-parser';
import t from 'tap';
import type { SentEmail } from '../../src/email/mailbox.js';
import { buildStandIn, describeStandIn } from '../../src/index.js';
import { demoUsers } from '../support/demo-users.js';
import { testPasswordIterations } from '../support/target.js';

const storeOrigin = 'https://store.example.test';
const forumOrigin = 'https://forum.example.test';
const app = await buildStandIn({
  kickstart: await readKickstartFile(),
  env: { STORE_ORIGIN: storeOrigin, FORUM_ORIGIN: forumOrigin },
  passwordHashIterations: testPasswordIterations,
});
t.teardown(() => app.close());
const summary = summarizeKickstart(app.standIn.kickstart ?? { variables: {}, apiKeys: [], requests: [] });
const apiKey = summary.apiKey ?? '';
const storeId = applicationIdByName(summary, 'Store');
const forumId = applicationIdByName(summary, 'Forum');

const api = (options: InjectOptions & { key?: boolean }) =>
  app.inject({ ...options, headers: { ...(options.key !== false && { authorization: apiKey }), ...options.headers } });

const mailbox = async (): Promise<SentEmail[]> =>
  (await app.inject({ method: 'GET', url: '/dev/mailbox.json' })).json<{ emails: SentEmail[] }>().emails;
const latestTo = async (to: string) => (await mailbox()).find((email) => email.to === to);

/** A user signed up through the Registration API, unverified where the tenant verifies. */
async function signUp(applicationId: string, user: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const email = `user-${randomUUID()}@example.com`;
  const answer = await api({
    method: 'POST',
    url: '/api/user/registration',
    payload: {
      user: { email, password: 'a-long-enough-password', ...user },
      registration: { applicationId },
      ...extra,
    },
  });
  if (answer.statusCode !== 200) throw new Error(`sign-up answered ${answer.statusCode}: ${answer.body}`);
  return { email, id: answer.json<{ user: { id: string } }>().user.id };
}

/** The `id` in the fragment of the email's link to `path` on `origin` (no server ever sees a fragment). */
function linkId(email: SentEmail | undefined, origin: string, path: string): string | undefined {
  const link = email?.links.find((candidate) => candidate.startsWith(`${origin}${path}#`));
  return link === undefined ? undefined : (new URLSearchParams(new URL(link).hash.slice(1)).get('id') ?? undefined);
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test("the mailbox needs no API key, and the kickstart's unverified user got a verification email", async (t) => {
  const json = await app.inject({ method: 'GET', url: '/dev/mailbox.json' });
  t.equal(json.statusCode, 200);
  t.match(json.headers['cache-control'], 'no-store');
  const seeded = (await mailbox()).find((email) => email.to === demoUsers.unverified);
  t.match(seeded, {
    subject: 'Confirm your email address',
    from: { address: 'no-reply@example.com', name: 'Store and Forum' },
    template: { name: 'Email verification' },
    sentAt: Number,
  });
  t.ok(linkId(seeded, storeOrigin, '/verify-email'), "it links to the Store's origin, where the user signed up");
  t.notOk(
    (await mailbox()).some((email) => email.to === demoUsers.shopper),
    'skipVerification sends nothing',
  );
});

void t.test("sign-up: the verification email links to the app's own origin, and its id verifies", async (t) => {
  const viaForum = await signUp(forumId, { firstName: 'Fran' });
  const email = await latestTo(viaForum.email);
  t.match(email, { subject: 'Confirm your email address', text: /Hello Fran,/, html: /Hello Fran,/ });
  t.match(email?.text, /your Forum account/);
  const verificationId = linkId(email, forumOrigin, '/verify-email');
  t.ok(verificationId, "the link goes to the Forum's origin");
  t.notOk(linkId(email, storeOrigin, '/verify-email'), "not to the Store's");

  const verified = await api({
    method: 'POST',
    url: '/api/user/verify-email',
    payload: { verificationId },
    key: false,
  });
  t.equal(verified.statusCode, 200);
  t.equal(app.standIn.store.users.get(viaForum.id)?.user.verified, true);

  const skipped = await signUp(storeId, {}, { skipVerification: true });
  t.notOk(await latestTo(skipped.email), 'skipVerification: no email');
});

void t.test('resend sends the verification email again, and only the newest link works', async (t) => {
  const user = await signUp(storeId);
  const first = linkId(await latestTo(user.email), storeOrigin, '/verify-email');
  const resent = await api({
    method: 'PUT',
    url: `/api/user/verify-email?email=${encodeURIComponent(user.email)}&applicationId=${forumId}`,
  });
  t.equal(resent.statusCode, 200);
  const emails = (await mailbox()).filter((email) => email.to === user.email);
  t.equal(emails.length, 2, 'a second email');
  const second = linkId(emails[0], forumOrigin, '/verify-email');
  t.equal(second, resent.json<{ verificationId: string }>().verificationId, 'with the id the API answered');
  t.not(first, second);
  const stale = await api({ method: 'POST', url: '/api/user/verify-email', payload: { verificationId: first } });
  t.equal(stale.statusCode, 404, 'the first link no longer works');

  const quiet = await api({
    method: 'PUT',
    url: `/api/user/verify-email?email=${encodeURIComponent(user.email)}&sendVerifyEmail=false`,
  });
  t.equal(quiet.statusCode, 200);
  t.equal((await mailbox()).filter((email) => email.to === user.email).length, 2, 'sendVerifyEmail=false: no email');
});

void t.test('forgot password: the email links to the named app, and its id changes the password', async (t) => {
  const user = await signUp(forumId, {}, { skipVerification: true });
  const started = await api({
    method: 'POST',
    url: '/api/user/forgot-password',
    payload: { loginId: user.email, applicationId: forumId },
    key: false,
  });
  t.equal(started.statusCode, 200);
  t.equal(started.body, '', 'without an API key, no body');
  const email = await latestTo(user.email);
  t.match(email, { subject: 'Reset your password', template: { name: 'Forgot password' } });
  const changePasswordId = linkId(email, forumOrigin, '/reset-password');
  t.ok(changePasswordId, "the link goes to the Forum's reset page");
  const changed = await api({
    method: 'POST',
    url: `/api/user/change-password/${changePasswordId}`,
    payload: { password: 'another-long-password' },
    key: false,
  });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), { oneTimePassword: String });

  const quiet = await api({
    method: 'POST',
    url: '/api/user/forgot-password',
    payload: { loginId: user.email, sendForgotPasswordEmail: false },
  });
  t.equal(quiet.statusCode, 200);
  t.equal((await mailbox()).filter((sent) => sent.to === user.email).length, 1, 'sendForgotPasswordEmail: false');

  await api({ method: 'POST', url: '/api/user/forgot-password', payload: { loginId: user.email } });
  t.ok(linkId(await latestTo(user.email), storeOrigin, '/reset-password'), "no application named: the Store's origin");
});

void t.test(
  'the reset link of a forgot-password email also verifies the address; one without email does not',
  async (t) => {
    const unverified = await signUp(storeId);
    await api({
      method: 'POST',
      url: '/api/user/forgot-password',
      payload: { loginId: unverified.email, applicationId: storeId },
    });
    const changePasswordId = linkId(await latestTo(unverified.email), storeOrigin, '/reset-password');
    await api({
      method: 'POST',
      url: '/api/user/change-password',
      payload: { changePasswordId, password: 'a-new-long-password' },
    });
    t.equal(app.standIn.store.users.get(unverified.id)?.user.verified, true, 'implicit email verification');

    const other = await signUp(storeId);
    const quiet = await api({
      method: 'POST',
      url: '/api/user/forgot-password',
      payload: { loginId: other.email, sendForgotPasswordEmail: false },
    });
    await api({
      method: 'POST',
      url: '/api/user/change-password',
      payload: {
        changePasswordId: quiet.json<{ changePasswordId: string }>().changePasswordId,
        password: 'a-new-long-password',
      },
    });
    t.equal(app.standIn.store.users.get(other.id)?.user.verified, false, 'an id that was never emailed proves nothing');
  },
);

void t.test(
  'sendSetPasswordEmail: only the set-password email; choosing the password verifies the address',
  async (t) => {
    const user = await signUp(storeId, { password: undefined }, { sendSetPasswordEmail: true });
    const emails = (await mailbox()).filter((email) => email.to === user.email);
    t.equal(emails.length, 1, 'no verification email besides');
    t.match(emails[0], { subject: 'Choose your password', template: { name: 'Set password' } });
    const changePasswordId = linkId(emails[0], storeOrigin, '/reset-password');
    t.equal(app.standIn.store.users.get(user.id)?.user.verified, false);
    const chosen = await api({
      method: 'POST',
      url: '/api/user/change-password',
      payload: { changePasswordId, password: 'the-chosen-password' },
      key: false,
    });
    t.equal(chosen.statusCode, 200);
    t.equal(app.standIn.store.users.get(user.id)?.user.verified, true);
    const login = await api({
      method: 'POST',
      url: '/api/login',
      payload: { loginId: user.email, password: 'the-chosen-password', applicationId: storeId },
    });
    t.equal(login.statusCode, 200);
  },
);

void t.test("HTML emails escape what users write; the text part is the user's words as written", async (t) => {
  const hostile = `<img src=x onerror="alert('x')"> & co`;
  const user = await signUp(storeId, { firstName: hostile });
  const email = await latestTo(user.email);
  t.notOk(email?.html.includes('<img'), 'no markup from the user in the HTML part');
  t.match(email?.html, 'Hello &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; co,');
  t.match(email?.text, `Hello ${hostile},`);

  const page = await app.inject({ method: 'GET', url: '/dev/mailbox' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], 'text/html');
  t.match(page.headers['content-security-policy'], "default-src 'none'");
  t.equal(page.headers['referrer-policy'], 'no-referrer', 'its links carry ids no Referer may take along');
  t.notOk(page.body.includes('<img'), 'the page escapes the email too');
  const article = parse(page.body)
    .querySelectorAll('article')
    .find((candidate) => candidate.text.includes(user.email));
  t.ok(article, 'the page lists the email');
  t.match(article?.querySelector('h2')?.text, 'Confirm your email address');
  t.match(article?.querySelector('pre')?.text, hostile, 'the text, as written');
  t.ok(article?.querySelector('time')?.getAttribute('datetime'), 'when');
  const links = article?.querySelectorAll('a').map((anchor) => anchor.getAttribute('href')) ?? [];
  t.ok(
    links.some((href) => href?.startsWith(`${storeOrigin}/verify-email#id=`)),
    'the link, clickable',
  );
});

void t.test('a template that cannot be rendered sends nothing, and the API answers all the same', async (t) => {
  const templateId = app.standIn.kickstart?.variables['forgotPasswordTemplateId'] ?? '';
  const template = app.standIn.store.emailTemplates.get(templateId);
  t.ok(template);
  if (!template) return;
  app.standIn.store.emailTemplates.set(templateId, { ...template, defaultTextTemplate: '${user.middleName}' });
  const warnings: Array<Record<string, unknown>> = [];
  const { warn } = app.standIn.store;
  app.standIn.store.warn = (details) => warnings.push(details);
  t.teardown(() => {
    app.standIn.store.emailTemplates.set(templateId, template);
    app.standIn.store.warn = warn;
  });
  const user = await signUp(storeId, {}, { skipVerification: true });
  const started = await api({ method: 'POST', url: '/api/user/forgot-password', payload: { loginId: user.email } });
  t.equal(started.statusCode, 200);
  t.notOk(await latestTo(user.email), 'no email');
  t.match(warnings, [{ templateId, reason: /user\.middleName is missing/ }], 'what went wrong is logged');
});

void t.test('templates outside the FreeMarker the stand-in renders are refused when saved', async (t) => {
  const refused = await api({
    method: 'POST',
    url: '/api/email/template',
    payload: {
      emailTemplate: {
        name: 'assignment',
        defaultSubject: 'x',
        defaultHtmlTemplate: '[#assign greeting = "hi"]${greeting}',
      },
    },
  });
  t.equal(refused.statusCode, 400);
  t.match(refused.json(), {
    fieldErrors: {
      'emailTemplate.defaultHtmlTemplate': [{ code: '[invalidTemplate]emailTemplate.defaultHtmlTemplate' }],
    },
  });
});

void t.test('DELETE /dev/mailbox empties it; the banner says where it is', async (t) => {
  const emptied = await app.inject({ method: 'DELETE', url: '/dev/mailbox' });
  t.equal(emptied.statusCode, 204);
  t.same(await mailbox(), []);
  const page = await app.inject({ method: 'GET', url: '/dev/mailbox' });
  t.match(page.body, 'No email yet.');
  t.match(describeStandIn('http://127.0.0.1:9011', app.standIn.kickstart), 'http://127.0.0.1:9011/dev/mailbox');
});
