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
  '[invalid]code': 'Invalid code',
  '[doNotMatch]': 'Values do not match',
  '[tooShort]password': 'Password does not meet the minimum length requirement',
  '[tooLong]password': 'Password exceeds the maximum length requirement',
  '[singleCase]password': 'Password must contain both upper and lowercase characters',
  '[onlyAlpha]password': 'Password must contain a non-alphabetic character',
  '[requireNumber]password': 'Password must contain a number',
  '[previouslyUsed]password': 'Password has been recently used',
  'authorized-not-registered':
    'Registration is required to access this application and your account has not been registered for this application. Please complete your registration and try again.',
} as const;

export type MessageKey = keyof typeof messages;

/** The password page's message for a password-rule error code (`[tooShort]password`), if any. */
export function passwordRuleMessage(code: string | undefined): string | undefined {
  return code !== undefined && Object.hasOwn(messages, code) ? messages[code as MessageKey] : undefined;
}

/** The message a refused login shows, by the Login API status FusionAuth would have answered. */
export const refusalMessage: Record<404 | 409 | 410 | 423, MessageKey> = {
  404: '[InvalidLogin]',
  409: '[LoginPreventedException]',
  410: '[UserExpiredException]',
  423: '[UserLockedException]',
};
