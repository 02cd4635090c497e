export { ApiError, createApiClient, type ApiClient, type RequestOptions } from './api/api-client.js';
export { messageFor } from './api/messages.js';
export {
  sessionOptions,
  useSession,
  type LoginFlow,
  type Session,
  type SessionOptions,
  type SessionUser,
  type SessionStatus,
} from './session/session.js';
export { emailLinkRoutes } from './navigation/email-links.js';
export { usePageTitle } from './navigation/page-title.js';
export { useKeptAcrossSignIn } from './session/use-kept-across-sign-in.js';
export { default as SessionGate } from './components/SessionGate.vue';
export { default as AppHeader } from './components/AppHeader.vue';
export { default as BusySpinner } from './components/BusySpinner.vue';
export { default as SessionsPanel } from './components/SessionsPanel.vue';
