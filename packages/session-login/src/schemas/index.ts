// The API's shapes, one zod schema each with its type inferred, shared with the SPAs through the
// package's `./schemas` export (it needs nothing but zod).
export { errorBody, errorResponses, type ErrorBody } from './errors.js';
export {
  credentials,
  signedIn,
  twoFactorCode,
  twoFactorRequired,
  type Credentials,
  type SignedIn,
  type TwoFactorCode,
  type TwoFactorRequired,
} from './login.js';
export {
  currentSession,
  logoutBody,
  sessionList,
  sessionSummary,
  sessionUser,
  type CurrentSession,
  type SessionList,
  type SessionSummary,
  type SessionUser,
} from './session.js';
