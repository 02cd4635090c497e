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
const actionQuery = z.object({ userId: z.string().optional(), preventingLogin: z.string().optional() });

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
    if (!actionee)
      throw fieldError('action.actioneeUserId', '[invalid]action.actioneeUserId', 'The actionee does not exist.');
    if (!store.users.has(action?.actionerUserId ?? '')) {
      throw fieldError('action.actionerUserId', '[invalid]action.actionerUserId', 'The actioner does not exist.');
    }
    const userAction = store.userActions.get(action?.userActionId ?? '');
    if (!userAction)
      throw fieldError('action.userActionId', '[invalid]action.userActionId', 'The user action does not exist.');
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

  app.get('/api/user/action', async (request) => {
    const query = actionQuery.parse(request.query);
    const actions = query.userId ? store.activeActionsOn(query.userId) : [...store.userActionLogs.values()];
    const preventing = query.preventingLogin === 'true';
    return {
      actions: actions
        .filter((action) => !preventing || store.userActions.get(action.userActionId)?.preventLogin)
        .map(describeAction),
    };
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
