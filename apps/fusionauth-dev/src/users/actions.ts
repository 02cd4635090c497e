import { randomUUID } from 'node:crypto';
import type { LoginPreventedResponse, UserActionLog } from '@fusionauth/typescript-client';
import type { UserActionLogRecord, UserActionRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';

export interface ActionToTake {
  actionee: UserRecord;
  userAction: UserActionRecord;
  actionerUserId?: string | undefined;
  expiry?: number | undefined;
  comment?: string | undefined;
}

/**
 * Takes a user action on a user. An action that prevents login also revokes the user's refresh
 * tokens, as FusionAuth does by default (`refreshTokenRevocationPolicy.onLoginPrevented`).
 */
export function takeAction(store: StandInStore, action: ActionToTake): UserActionLogRecord {
  const record: UserActionLogRecord = {
    id: randomUUID(),
    actioneeUserId: action.actionee.user.id,
    userActionId: action.userAction.id,
    insertInstant: Date.now(),
    cancelled: false,
    name: action.userAction.name,
    localizedName: action.userAction.name,
    ...(action.actionerUserId !== undefined && { actionerUserId: action.actionerUserId }),
    ...(action.expiry !== undefined && { expiry: action.expiry }),
    ...(action.comment !== undefined && { comment: action.comment }),
  };
  store.userActionLogs.set(record.id, record);
  store.emit('user.action', {
    tenantId: action.actionee.user.tenantId,
    action: action.userAction.name,
    actionId: record.id,
    actioneeUserId: record.actioneeUserId,
    ...(record.actionerUserId !== undefined && { actionerUserId: record.actionerUserId }),
    ...(record.expiry !== undefined && { expiry: record.expiry }),
    phase: 'start',
  });

  const tenant = store.tenants.get(action.actionee.user.tenantId);
  const revokeOnLoginPrevented = tenant?.jwtConfiguration?.refreshTokenRevocationPolicy?.onLoginPrevented ?? true;
  if (action.userAction.preventLogin && revokeOnLoginPrevented) {
    store.revokeRefreshTokens({ userId: action.actionee.user.id });
  }
  return record;
}

/** The Actioning Users API's view of an action. */
export function describeAction(record: UserActionLogRecord): UserActionLog {
  const { cancelled: _cancelled, ...action } = record;
  return action;
}

/** The actions in force on a user that prevent login, as a 409 login answer lists them. */
export function loginPreventingActions(store: StandInStore, userId: string): LoginPreventedResponse[] {
  return store
    .activeActionsOn(userId)
    .filter((action) => store.userActions.get(action.userActionId)?.preventLogin === true)
    .map((action) => ({
      actionId: action.id,
      ...(action.actionerUserId !== undefined && { actionerUserId: action.actionerUserId }),
      ...(action.expiry !== undefined && { expiry: action.expiry }),
      name: action.name ?? '',
      localizedName: action.localizedName ?? action.name ?? '',
      ...(action.reason !== undefined && { reason: action.reason, localizedReason: action.reason }),
      ...(action.reasonCode !== undefined && { reasonCode: action.reasonCode }),
    }));
}
