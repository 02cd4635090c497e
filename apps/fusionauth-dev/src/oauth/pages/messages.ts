import type { PasswordRules } from '../../users/password-rules.js';

/**
 * The hosted pages' words, FusionAuth's own (theme `defaultMessages.txt` of the default theme), by
 * their keys. Which login outcome shows which key is inferred from the key names.
 */
export const messages = {
  '[InvalidLogin]': 'Invalid login credentials.',
  '[blank]': 'Required',
  '[LoginPreventedException]': 'Your account has been locked.',
  '[UserLockedException]': 'Your account has been locked. Please contact your system administrator.',
  '[UserExpiredException]': 'Your account has expired. Please contact your system administrator.',
  '[LoginPreventedExceptionTooManyTwoFactorAttempts]':
    'You have exceeded the number of allowed attempts. Your account has been locked.',
  '[UserAuthorizedNotRegisteredException]': 'Your account has not been registered for this application.',
  '[SSOSessionDeletedOrExpired]': 'You have been logged out.',
  '[TwoFactorTimeout]': 'You did not complete the two-factor challenge in time. Please restart your request.',
  '[InvalidChangePasswordId]': 'Your password reset code has expired or is invalid. Please retry your request.',
  '[ForgotPasswordDisabled]':
    'Forgot password handling is not enabled. Please contact your system administrator for assistance.',
  '[invalid]code': 'Invalid code',
  '[doNotMatch]': 'Values do not match',
  '[tooShort]password': 'Password does not meet the minimum length requirement',
  '[tooLong]password': 'Password exceeds the maximum length requirement',
  '[singleCase]password': 'Password requires upper and lower case characters',
  '[onlyAlpha]password': 'Password requires a non-alphanumeric character',
  '[requireNumber]password': 'Password requires at least one number',
  '[previouslyUsed]password': 'Password has been recently used',
  'forgot-your-password': 'Forgot your password?',
  'forgot-password-title': 'Forgot password',
  'forgot-password': 'Forgot your password? Enter your login in the form below to reset your password.',
  'forgot-password-message-sent-title': 'Message sent',
  'forgot-password-message-sent':
    'We have sent a message to %s containing a link that will allow you to reset your password. Once you receive the message follow the instructions to change your password.',
  'return-to-login': 'Return to login',
  'password-changed-title': 'Password updated',
  'password-changed': 'Your password has been updated successfully.',
  'password-constraints-intro': 'Password must meet the following constraints:',
  'password-length-constraint': 'Must be between %s and %s characters in length',
  'password-case-constraint': 'Must contain both upper and lower case characters',
  'password-alpha-constraint': 'Must contain at least one non-alphanumeric character',
  'password-number-constraint': 'Must contain at least one number',
  'password-previous-constraint': 'Must not match the previous %s passwords',
  '{description}confirmation-required-changePasswordMultiFactor':
    'Because you have enabled two-factor authentication, you must first complete an authentication challenge prior to changing your password.',
  'authorized-not-registered':
    'Registration is required to access this application and your account has not been registered for this application. Please complete your registration and try again.',
} as const;

export type MessageKey = keyof typeof messages;

/** A message with its `%s` filled in order, as the theme's `theme.message(key, …)` does. */
export function formatMessage(key: MessageKey, ...values: Array<string | number>): string {
  let next = 0;
  return messages[key].replace(/%s/g, () => String(values[next++] ?? ''));
}

/** The password page's message for a password-rule error code (`[tooShort]password`), if any. */
export function passwordRuleMessage(code: string | undefined): string | undefined {
  return code !== undefined && Object.hasOwn(messages, code) ? messages[code as MessageKey] : undefined;
}

/** The tenant's password rules in the theme's words (its `passwordRules` helper), shown beside a refused password. */
export function passwordRuleWords(rules: PasswordRules): string[] {
  return [
    formatMessage('password-length-constraint', rules.minLength, rules.maxLength),
    ...(rules.requireMixedCase ? [messages['password-case-constraint']] : []),
    ...(rules.requireNonAlpha ? [messages['password-alpha-constraint']] : []),
    ...(rules.requireNumber ? [messages['password-number-constraint']] : []),
    ...(rules.remembered > 0 ? [formatMessage('password-previous-constraint', rules.remembered)] : []),
  ];
}

/** The message a refused login shows, by the Login API status FusionAuth would have answered. */
export const refusalMessage: Record<404 | 409 | 410 | 423, MessageKey> = {
  404: '[InvalidLogin]',
  409: '[LoginPreventedException]',
  410: '[UserExpiredException]',
  423: '[UserLockedException]',
};
