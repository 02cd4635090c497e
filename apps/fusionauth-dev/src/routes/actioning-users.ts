import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fieldError, notFound, requireFields } from '../http/api-error.js';
import { readBody } from '../http/request-body.js';
import type { StandInStore } from '../state/store.js';
import { describeAction, takeAction } from '../users/actions.js';

const actionBody = z.object({
  action: z
    .object({
      actioneeUserId: z.string().optional(),
      actionerUserId: z.string().optional(),
      userActionId: z.string().optional(),
      expiry: z.number().int().optional(),
      comment: z.string().optional(),
    })
    .loose()
    .optional(),
});

const actionParams = z.object({ actionId: z.string() });
const actionQuery = z.object({
  userId: z.string().optional(),
  active: z.string().optional(),
  preventingLogin: z.string().optional(),
});

/** Actioning Users API: https://fusionauth.io/docs/apis/actioning-users */
export function actioningUserRoutes(app: FastifyInstance, store: StandInStore): void {
  app.post('/api/user/action', async (request) => {
    const { action } = readBody(actionBody, request.body);
    requireFields({
      action,
      'action.actioneeUserId': action?.actioneeUserId,
      'action.actionerUserId': action?.actionerUserId,
      'action.userActionId': action?.userActionId,
    });
    const actionee = store.users.get(action?.actioneeUserId ?? '');
    if (!actionee) throw fieldError('action.actioneeUserId', '[invalid]', 'The actionee does not exist.');
    if (!store.users.has(action?.actionerUserId ?? '')) {
      throw fieldError('action.actionerUserId', '[invalid]', 'The actioner does not exist.');
    }
    const userAction = store.userActions.get(action?.userActionId ?? '');
    if (!userAction) throw fieldError('action.userActionId', '[invalid]', 'The user action does not exist.');
    if (userAction.temporal) requireFields({ 'action.expiry': action?.expiry });
    const taken = takeAction(store, {
      actionee,
      userAction,
      actionerUserId: action?.actionerUserId,
      expiry: action?.expiry,
      comment: action?.comment,
    });
    return { action: describeAction(taken) };
  });

  // The client's retrieveActions, retrieveActiveActions and retrieveActionsPreventingLogin.
  app.get('/api/user/action', async (request) => {
    const query = actionQuery.parse(request.query);
    const active = new Set(store.activeActionsOn(query.userId ?? '').map((action) => action.id));
    const actions = [...store.userActionLogs.values()].filter(
      (action) =>
        action.actioneeUserId === query.userId &&
        (query.active !== 'true' || active.has(action.id)) &&
        (query.preventingLogin !== 'true' ||
          (active.has(action.id) && store.userActions.get(action.userActionId)?.preventLogin === true)),
    );
    return { actions: actions.map(describeAction) };
  });

  app.get('/api/user/action/:actionId', async (request) => {
    const action = store.userActionLogs.get(actionParams.parse(request.params).actionId);
    if (!action) throw notFound();
    return { action: describeAction(action) };
  });

  app.delete('/api/user/action/:actionId', async (request) => {
    const action = store.userActionLogs.get(actionParams.parse(request.params).actionId);
    if (!action) throw notFound();
    action.cancelled = true;
    return { action: describeAction(action) };
  });
}
