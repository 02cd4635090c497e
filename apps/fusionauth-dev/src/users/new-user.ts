import { sendTemplatedEmail } from '../email/send-email.js';
import type { ApplicationRecord, TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { registrationListsVerificationIds } from './assumptions.js';
import { needsEmailVerification, startEmailVerification } from './email-verification.js';
import { issueChangePasswordId } from './password-change.js';

/**
 * One of the create answer's `verificationIds`. The documentation gives `type` as a string
 * (`email`), where the typescript client declares an object.
 */
export interface VerificationIdEntry {
  id: string;
  type: 'email';
  value: string;
}

/**
 * The emails FusionAuth sends a user it has just created (User and Registration APIs): with
 * `sendSetPasswordEmail`, only the set-password email, whose `changePasswordId` also verifies the
 * address when used; otherwise, when the tenant verifies email addresses and the request did not
 * skip it, the verification email. Answers the `verificationIds` the create answer lists.
 */
export function sendNewUserEmails(
  store: StandInStore,
  tenant: TenantRecord,
  record: UserRecord,
  application: ApplicationRecord | undefined,
  { sendSetPasswordEmail }: { sendSetPasswordEmail: boolean },
): VerificationIdEntry[] {
  if (sendSetPasswordEmail) {
    const { changePasswordId } = issueChangePasswordId(store, tenant, record, {
      applicationId: application?.id,
      setup: true,
      sentByEmail: true,
      implicitTrust: false,
    });
    sendTemplatedEmail(store, {
      tenant,
      template: 'setPassword',
      record,
      application,
      variables: { changePasswordId },
    });
    return [];
  }
  if (!needsEmailVerification(tenant, record)) return [];
  const verification = startEmailVerification(store, tenant, record, application, { send: true });
  return verification && registrationListsVerificationIds
    ? [{ id: verification.verificationId, type: 'email', value: verification.email }]
    : [];
}
