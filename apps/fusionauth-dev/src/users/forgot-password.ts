import { sendTemplatedEmail } from '../email/send-email.js';
import type { ApplicationRecord, ChangePasswordIdRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { issueChangePasswordId } from './password-change.js';

export interface ForgotPasswordStart {
  tenant: TenantRecord;
  record: UserRecord;
  /** The application the reset is for: the email's `application`, and the only one that may finish it. */
  application: ApplicationRecord | undefined;
  /** Given back by the Change Password API, and seen by the email template as `state`. */
  state: Record<string, unknown> | undefined;
  /** Whether the tenant's Forgot Password email goes out, with the id in its link. */
  sendEmail: boolean;
  /** One the caller chose (the Forgot Password API with an API key); random otherwise. */
  changePasswordId?: string | undefined;
}

/**
 * Starts FusionAuth's forgot-password workflow for a user, whether the Forgot Password API or the
 * hosted forgot-password page asked: a `changePasswordId` for the tenant's
 * `changePasswordIdTimeToLiveInSeconds`, and the tenant's Forgot Password email with it
 * (https://fusionauth.io/docs/apis/users/forgot-password). The caller has checked that the email
 * can be sent (a template, an address).
 */
export function startForgotPassword(store: StandInStore, start: ForgotPasswordStart): ChangePasswordIdRecord {
  const issued = issueChangePasswordId(store, start.tenant, start.record, {
    applicationId: start.application?.id,
    sentByEmail: start.sendEmail,
    implicitTrust: false,
    state: start.state,
    changePasswordId: start.changePasswordId,
  });
  if (start.sendEmail) {
    sendTemplatedEmail(store, {
      tenant: start.tenant,
      template: 'forgotPassword',
      record: start.record,
      application: start.application,
      variables: {
        changePasswordId: issued.changePasswordId,
        ...(start.state !== undefined && { state: start.state }),
      },
    });
  }
  return issued;
}
