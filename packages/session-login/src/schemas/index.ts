// The API's shapes, one zod schema each with its type inferred, shared with the SPAs through the
// package's `./schemas` export (it needs nothing but zod).
export { errorBody, errorResponses, type ErrorBody } from './errors.js';
export {
  credentials,
  loginFlowList,
  loginFlowName,
  signedIn,
  twoFactorCode,
  twoFactorRequired,
  type Credentials,
  type LoginFlowList,
  type LoginFlowName,
  type SignedIn,
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
