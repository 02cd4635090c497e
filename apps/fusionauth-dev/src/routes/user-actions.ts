import type { FastifyInstance } from 'fastify';
import { stamped } from '../state/instants.js';
import type { UserActionRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { serveAdminResource } from './admin-objects.js';

/** User Action definitions: https://fusionauth.io/docs/apis/user-action-definitions */
export function userActionRoutes(app: FastifyInstance, store: StandInStore): void {
  serveAdminResource<UserActionRecord>(app, {
    path: '/api/user-action',
    singular: 'userAction',
    plural: 'userActions',
    records: store.userActions,
    complete: (input, _request, existing) =>
      stamped({ active: true, preventLogin: false, temporal: false, ...input } as UserActionRecord, existing),
    onDelete: (userAction) => {
      for (const action of [...store.userActionLogs.values()]) {
        if (action.userActionId === userAction.id) store.userActionLogs.delete(action.id);
      }
    },
  });
}
