// The API's shapes, one zod schema each with its type inferred, shared with the SPAs through the
// package's `./schemas` export (it needs nothing but zod).
export {
  checkEmail,
  emailRequest,
  emailVerification,
  emailVerified,
  newPassword,
  passwordReset,
  signUp,
  type CheckEmail,
  type EmailRequest,
  type EmailVerification,
  type EmailVerified,
  type NewPassword,
  type PasswordReset,
  type SignUp,
} from './account.js';
export { errorBody, errorResponses, type ErrorBody } from './errors.js';
export {
  credentials,
  loginFlowList,
  loginFlowName,
  passwordChangeRequired,
  signedIn,
  signInContinues,
  twoFactorCode,
  twoFactorRequired,
  type Credentials,
  type LoginFlowList,
  type LoginFlowName,
  type PasswordChangeRequired,
  type SignedIn,
  type SignInContinues,
  type TwoFactorCode,
  type TwoFactorRequired,
} from './login.js';
export {
  logoutRedirect,
  oauthCallbackQuery,
  oauthLoginErrorCode,
  oauthLoginErrors,
  oauthLoginQuery,
  type LogoutRedirect,
} from './oauth.js';
export { oauthLoginErrorCodes, oauthLoginErrorMessages, type OAuthLoginErrorCode } from './oauth-login-errors.js';
export {
  currentSession,
  logoutBody,
  sessionList,
  sessionSummary,
  sessionUser,
  signInMethod,
  type CurrentSession,
  type SessionList,
  type SessionSummary,
  type SessionUser,
  type SignInMethod,
} from './session.js';
