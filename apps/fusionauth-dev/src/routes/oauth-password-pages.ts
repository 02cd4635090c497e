import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deliveryAddress, tenantTemplateId } from '../email/send-email.js';
import { FieldErrors } from '../http/api-error.js';
import { stillAllowed } from '../login/login-flow.js';
import {
  forgotPasswordStateSkipsEmpty,
  invalidChangePasswordIdPage,
  passwordResetAuthenticationType,
  passwordResetCompletesAuthorization,
} from '../oauth/assumptions.js';
import { carriedFrom, firstValue, type AuthorizeRequest, type CarriedParameters } from '../oauth/authorize-request.js';
import {
  checked,
  givenFields,
  hiddenFields,
  hostedPageReplies,
  stepUrl,
  type Fields,
} from '../oauth/hosted-page-replies.js';
import {
  formatMessage,
  messages,
  passwordRuleMessage,
  passwordRuleWords,
  refusalMessage,
} from '../oauth/pages/messages.js';
import { pages, type ForgotPasswordPage, type PasswordChangePage } from '../oauth/pages/render.js';
import type { ChangePasswordIdRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { startForgotPassword } from '../users/forgot-password.js';
import {
  checkNewPassword,
  liveChangePasswordId,
  setNewPassword,
  trustTokenRequired,
} from '../users/password-change.js';
import { passwordRules } from '../users/password-rules.js';

/** A `changePasswordId` that may be used here, its user and tenant, and the OAuth request it continues, if any. */
interface PasswordChange {
  pending: ChangePasswordIdRecord;
  record: UserRecord;
  tenant: TenantRecord;
  /** The OAuth request the pages carry; undefined outside one. */
  authorize: AuthorizeRequest | undefined;
  carried: CarriedParameters;
  /** The OAuth request the change signs the user in to, if it does. */
  signsInTo: AuthorizeRequest | undefined;
}

/**
 * FusionAuth's hosted password pages: "Forgot your password?" on the login form leads to
 * `/password/forgot`, which sends the tenant's Forgot Password email with the OAuth request as its
 * `state` and shows `/password/sent` whether or not anyone has the login id; the email's link opens
 * `/password/change/{changePasswordId}`, and the new password (the tenant's rules apply) completes
 * that OAuth request. The same change form serves the password change a login requires
 * (`/password/change?changePasswordId=`, from the login form). A change outside any OAuth request
 * ends on `/password/complete`. The forgot-password page is served within an OAuth request only:
 * without one, the stand-in could not tell which tenant the login id belongs to.
 */
export function passwordPageRoutes(app: FastifyInstance, store: StandInStore): void {
  const { html, toStep, loginForm, validated, withinAuthorizeRequest, finish } = hostedPageReplies(store);

  const forgotPage = (reply: FastifyReply, carried: CarriedParameters, page: Partial<ForgotPasswordPage>) =>
    html(
      reply,
      200,
      pages.forgotPassword({
        hidden: hiddenFields(carried),
        loginId: '',
        loginUrl: stepUrl('/oauth2/authorize', carried),
        ...page,
      }),
    );

  app.get(
    '/password/forgot',
    withinAuthorizeRequest((_request, reply, _fields, valid) => forgotPage(reply, valid.carried, {})),
  );

  app.post(
    '/password/forgot',
    withinAuthorizeRequest((_request, reply, fields, valid) => {
      const { carried } = valid;
      const loginId = firstValue(fields['loginId'])?.trim() ?? '';
      if (loginId === '') return forgotPage(reply, carried, { fieldError: messages['[blank]'] });
      if (tenantTemplateId(valid.tenant, 'forgotPassword') === undefined) {
        return forgotPage(reply, carried, { loginId, error: messages['[ForgotPasswordDisabled]'] });
      }
      const record = store.findUserByLoginId(valid.tenant.id, loginId);
      // Nothing on the way out says whether anyone has this login id, or an address to write to.
      if (record && deliveryAddress(record.user) !== undefined) {
        const state = Object.fromEntries(forgotPasswordStateSkipsEmpty ? givenFields(carried) : hiddenFields(carried));
        startForgotPassword(store, {
          tenant: valid.tenant,
          record,
          application: valid.application,
          state,
          sendEmail: true,
        });
      }
      return toStep(reply, stepUrl('/password/sent', carried, { loginId }));
    }),
  );

  app.get('/password/sent', async (request, reply) => {
    const query = request.query as Fields;
    return html(
      reply,
      200,
      pages.message({
        heading: messages['forgot-password-message-sent-title'],
        message: formatMessage('forgot-password-message-sent', firstValue(query['loginId']) ?? ''),
        alert: false,
        link: { href: stepUrl('/oauth2/authorize', carriedFrom(query)), text: messages['return-to-login'] },
      }),
    );
  });

  /** An unknown, expired or spent `changePasswordId`, or one of another application's. */
  const invalidId = (reply: FastifyReply, carried: CarriedParameters, authorize: AuthorizeRequest | undefined) => {
    const error = messages['[InvalidChangePasswordId]'];
    if (!authorize) return html(reply, 200, pages.message({ heading: 'Change password', message: error, alert: true }));
    return invalidChangePasswordIdPage === 'forgot-password'
      ? forgotPage(reply, carried, { error })
      : loginForm(reply, carried, { error });
  };

  /**
   * The change a request names, with the OAuth request it belongs to: the one the Forgot Password
   * request recorded in its `state`, else the one the page carries. An id started for one
   * application cannot be finished under another, nor under another tenant's.
   */
  const passwordChange = (
    reply: FastifyReply,
    fields: Fields,
    changePasswordId: string | undefined,
  ): PasswordChange | FastifyReply => {
    const pending = changePasswordId ? liveChangePasswordId(store, changePasswordId) : undefined;
    const recorded = pending?.state && carriedFrom(pending.state);
    const carried = recorded?.client_id !== undefined ? recorded : carriedFrom(fields);
    let authorize: AuthorizeRequest | undefined;
    if (carried.client_id !== undefined) {
      const valid = validated(reply, carried);
      if (!('application' in valid)) return valid;
      authorize = valid;
    }
    const record = pending && store.users.get(pending.userId);
    const tenant = pending && store.tenants.get(pending.tenantId);
    const belongs =
      !authorize ||
      (pending?.tenantId === authorize.tenant.id &&
        (pending.applicationId === undefined || pending.applicationId === authorize.application.id));
    if (!pending || !record || !tenant || !belongs) return invalidId(reply, carried, authorize);
    // A required change always finishes its login; a reset does as passwordResetCompletesAuthorization says.
    const signsIn = pending.implicitTrust || passwordResetCompletesAuthorization;
    return { pending, record, tenant, authorize, carried, signsInTo: signsIn ? authorize : undefined };
  };

  const changePage = (
    reply: FastifyReply,
    change: PasswordChange,
    fields: Fields,
    page: Partial<PasswordChangePage> = {},
  ) =>
    html(
      reply,
      200,
      pages.passwordChange({
        hidden: hiddenFields(change.carried, { changePasswordId: change.pending.changePasswordId }),
        reason: change.record.user.passwordChangeRequired ? 'required' : 'reset',
        offerRememberDevice: change.signsInTo !== undefined,
        rememberDevice: checked(fields, 'rememberDevice'),
        fieldErrors: {},
        rules: [],
        ...page,
      }),
    );

  /**
   * A user with a second factor must pass a two-factor challenge before a reset link may change the
   * password (the API's `[TrustTokenRequired]`; FusionAuth's page offers the challenge). The
   * stand-in does not offer it, and says so.
   */
  const secondFactorRequired = (reply: FastifyReply, change: PasswordChange) =>
    html(
      reply,
      200,
      pages.message({
        heading: 'Change password',
        message: `${messages['{description}confirmation-required-changePasswordMultiFactor']} The FusionAuth stand-in does not offer that challenge.`,
        alert: true,
        link: change.authorize && {
          href: stepUrl('/oauth2/authorize', change.carried),
          text: messages['return-to-login'],
        },
      }),
    );

  const showChange = (request: FastifyRequest, reply: FastifyReply, changePasswordId: string | undefined) => {
    const fields = request.query as Fields;
    const change = passwordChange(reply, fields, changePasswordId);
    if (!('pending' in change)) return change;
    if (trustTokenRequired(change.record, change.pending)) return secondFactorRequired(reply, change);
    return changePage(reply, change, fields);
  };

  app.get('/password/change', async (request, reply) =>
    showChange(request, reply, firstValue((request.query as Fields)['changePasswordId'])),
  );

  // The Forgot Password email's link: FusionAuth's default template puts the id in the path.
  app.get<{ Params: { changePasswordId: string } }>('/password/change/:changePasswordId', async (request, reply) =>
    showChange(request, reply, request.params.changePasswordId),
  );

  app.post('/password/change', async (request, reply) => {
    const fields = (request.body ?? {}) as Fields;
    const change = passwordChange(reply, fields, firstValue(fields['changePasswordId']));
    if (!('pending' in change)) return change;
    const { pending, record, tenant, authorize, carried, signsInTo } = change;
    if (trustTokenRequired(record, pending)) return secondFactorRequired(reply, change);

    const password = firstValue(fields['password']) ?? '';
    const confirmation = firstValue(fields['passwordConfirm']) ?? '';
    const ruleErrors = new FieldErrors();
    if (password !== '') await checkNewPassword(tenant, record, password, 'password', ruleErrors);
    const fieldErrors = {
      password: password === '' ? messages['[blank]'] : passwordRuleMessage(ruleErrors.first('password')),
      passwordConfirm:
        confirmation === ''
          ? messages['[blank]']
          : password !== '' && confirmation !== password
            ? messages['[doNotMatch]']
            : undefined,
    };
    if (fieldErrors.password || fieldErrors.passwordConfirm) {
      // As the theme does, the rules are listed whenever the password itself was refused.
      const rules = fieldErrors.password ? passwordRuleWords(passwordRules(tenant)) : [];
      return changePage(reply, change, fields, { fieldErrors, rules });
    }
    if (signsInTo) {
      // A login follows the change, and the account may have been locked since the password was
      // checked or the email sent: it may not sign in, and its password stays as it was.
      const refused = stillAllowed(store, record);
      if (refused) {
        store.changePasswordIds.delete(pending.changePasswordId);
        return loginForm(reply, carried, { error: messages[refusalMessage[refused]] });
      }
    }
    // Another request may have spent the id while the password was being checked.
    if (!store.changePasswordIds.has(pending.changePasswordId)) return invalidId(reply, carried, authorize);
    await setNewPassword(store, tenant, record, password, pending);
    if (!signsInTo) return toStep(reply, '/password/complete');
    return finish(request, reply, signsInTo, {
      record,
      // An id issued at login (a required change) follows a password login; a reset's is its own.
      authenticationType: pending.implicitTrust ? 'PASSWORD' : passwordResetAuthenticationType,
      authTime: Math.floor(Date.now() / 1000),
      rememberDevice: checked(fields, 'rememberDevice'),
    });
  });

  app.get('/password/complete', async (_request, reply) =>
    html(
      reply,
      200,
      pages.message({
        heading: messages['password-changed-title'],
        message: messages['password-changed'],
        alert: false,
      }),
    ),
  );
}
