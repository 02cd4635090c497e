import { oauthLoginErrorMessages, type OAuthLoginErrorCode } from '@native-login/session-login/schemas';

const isKnown = (code: string): code is OAuthLoginErrorCode => Object.hasOwn(oauthLoginErrorMessages, code);

/**
 * What the sign-in card says for the `login_error` a sign-in on FusionAuth's page came back with.
 * The words are the backend's, defined once beside the codes; a code this SPA does not know (a
 * newer backend, or a hand-edited address) gets the general one.
 */
export function oauthLoginErrorMessage(code: string, appName: string): string {
  return oauthLoginErrorMessages[isKnown(code) ? code : 'sign_in_failed'](appName);
}
