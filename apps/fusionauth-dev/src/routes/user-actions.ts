import type { FastifyInstance } from 'fastify';
import { fieldError } from '../http/api-error.js';
import { stamped } from '../state/instants.js';
import type { UserActionRecord } from '../state/records.js';
import { userActionSettings } from '../state/settings-schemas.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** User Action definitions: https://fusionauth.io/docs/apis/user-action-definitions */
export function userActionRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<UserActionRecord>(app, {
    path: '/api/user-action',
    singular: 'userAction',
    plural: 'userActions',
    records: store.userActions,
    schema: userActionSettings,
    softDelete: true,
    complete: (input, _request, existing) => {
      const userAction = { active: true, preventLogin: false, temporal: false, ...input } as UserActionRecord;
      // https://fusionauth.io/docs/apis/user-actions: "An action that prevents login must be time based".
      if (userAction.preventLogin && !userAction.temporal) {
        throw fieldError('userAction.temporal', '[invalid]', 'An action that prevents login must be time based.');
      }
      return stamped(userAction, existing);
    },
    onDelete: (userAction) => {
      for (const action of [...store.userActionLogs.values()]) {
        if (action.userActionId === userAction.id) store.userActionLogs.delete(action.id);
      }
    },
  });
}
