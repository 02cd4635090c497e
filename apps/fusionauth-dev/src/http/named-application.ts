import type { ApplicationRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { fieldError } from './api-error.js';

/** The application a request's `applicationId` names, or a 400 naming the property when there is none such. */
export function namedApplication(
  store: StandInStore,
  applicationId: string | undefined,
): ApplicationRecord | undefined {
  if (applicationId === undefined) return undefined;
  const application = store.applications.get(applicationId);
  if (!application)
    throw fieldError('applicationId', '[invalid]', `The application Id [${applicationId}] is not valid.`);
  return application;
}
