import { ApiError, messageFor } from '@native-login/login-ui';

/**
 * Splits a backend answer into messages by field: `validation_failed` names its field
 * (`body.title: title must not be empty`), so the message can sit next to that input.
 */
export function fieldErrorsOf(error: unknown): { fields: Record<string, string>; general: string | null } {
  if (error instanceof ApiError && error.code === 'validation_failed') {
    const match = /^body\.(\w+): (.*)$/.exec(error.message);
    if (match?.[1] && match[2]) return { fields: { [match[1]]: match[2] }, general: null };
  }
  return { fields: {}, general: messageFor(error) };
}
