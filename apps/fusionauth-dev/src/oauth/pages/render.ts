import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/** The templates sit beside `src/` and `dist/` alike, so one relative path serves both. */
const views = fileURLToPath(new URL('../../../templates', import.meta.url));

/** Eta escapes every `<%= %>` value; templates are read once and cached. */
const eta = new Eta({ views, autoEscape: true, cache: true });

export type HiddenFields = Array<[string, string]>;

export interface LoginPage {
  hidden: HiddenFields;
  loginId: string;
  rememberDevice: boolean;
  /** "Forgot your password?": the forgot-password page, with the OAuth parameters. */
  forgotPasswordUrl: string;
  /** A message about the whole form (wrong credentials, a locked account). */
  error?: string | undefined;
  /** A notice that is not a mistake (the SSO session ended). */
  info?: string | undefined;
  fieldErrors: { loginId?: string | undefined; password?: string | undefined };
}

export interface TwoFactorPage {
  hidden: HiddenFields;
  /** "Trust this device for N days". */
  trustDays: number;
  error?: string | undefined;
  fieldError?: string | undefined;
}

export interface PasswordChangePage {
  hidden: HiddenFields;
  /** Why the password is being changed: the login required it, or the user asked to reset it. */
  reason: 'required' | 'reset';
  /** "Keep me signed in" is offered only when a login follows the change (an OAuth request). */
  offerRememberDevice: boolean;
  /** "Keep me signed in", as the login form left it. */
  rememberDevice: boolean;
  error?: string | undefined;
  fieldErrors: { password?: string | undefined; passwordConfirm?: string | undefined };
  /** The tenant's password rules in words, shown beside a password the rules refused. */
  rules: string[];
}

export interface ForgotPasswordPage {
  hidden: HiddenFields;
  loginId: string;
  /** "Return to login": the login form of the same OAuth request. */
  loginUrl: string;
  /** A message about the whole form (an expired reset link, forgot password not enabled). */
  error?: string | undefined;
  fieldError?: string | undefined;
}

/** A page that only tells something: the reset email was sent, the password was changed. */
export interface MessagePage {
  heading: string;
  message: string;
  /** Whether the message reports a failure, announced as an alert rather than a status. */
  alert: boolean;
  link?: { href: string; text: string } | undefined;
}

export interface LogoutPage {
  logoutUrls: string[];
  redirectUrl: string;
  seconds: number;
}

/**
 * FusionAuth's hosted pages (the default theme's `oauth2Authorize`, `oauth2TwoFactor`,
 * `passwordChange`, `passwordForgot`, `passwordSent`, `passwordComplete`,
 * `oauth2AuthorizedNotRegistered`, `oauth2Error` and `oauth2Logout`), as plain server-rendered
 * forms: they work without JavaScript, with a keyboard and with password managers.
 */
export const pages = {
  login: (page: LoginPage): string => eta.render('./authorize', page),
  twoFactor: (page: TwoFactorPage): string => eta.render('./two-factor', page),
  passwordChange: (page: PasswordChangePage): string => eta.render('./password-change', page),
  forgotPassword: (page: ForgotPasswordPage): string => eta.render('./password-forgot', page),
  message: (page: MessagePage): string => eta.render('./message', page),
  notRegistered: (page: { message: string }): string => eta.render('./not-registered', page),
  error: (page: { json: string }): string => eta.render('./error', page),
  logout: (page: LogoutPage): string => eta.render('./logout', page),
  formPost: (page: { action: string; fields: HiddenFields }): string => eta.render('./form-post', page),
};
