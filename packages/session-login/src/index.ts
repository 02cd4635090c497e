// The plugin an app registers, and what its own routes and server use of the library.
export { default as sessionLogin, type SessionLoginOptions } from './session-login.js';
// Each concern is also a named plugin of its own, for an app that composes them itself; importing
// them brings their decorators' types (`app.sessions`, `request.user`, ...).
export { default as appConfig } from './plugins/app-config.js';
export { default as errorAnswers } from './plugins/error-answers.js';
export { default as gracefulClose } from './plugins/graceful-close.js';
export { default as securityHeaders } from './plugins/security-headers.js';
export { default as storage, type Storage } from './plugins/storage.js';
export { default as fusionAuthGateway } from './plugins/fusionauth-gateway.js';
export { default as sessionRecords } from './plugins/session-records.js';
export { default as loginThrottle } from './plugins/login-throttle.js';
export { default as openApi } from './plugins/openapi.js';
export { default as spa } from './plugins/spa.js';
export { default as csrf } from './plugins/csrf.js';
export { default as noStore } from './plugins/no-store.js';
export { default as sessions, type SessionsOptions } from './plugins/sessions.js';
export { default as nativeLogin } from './login-flows/native-login.js';
export { default as oauthLogin } from './login-flows/oauth-login.js';
export { default as relyingParty } from './plugins/relying-party.js';
export {
  loadAppConfig,
  configVariables,
  ConfigError,
  loginFlowNames,
  type AppConfig,
  type AppPrefix,
  type LoginFlowName,
  type OAuthSettings,
} from './config/environment.js';
export { serverOptions } from './server/server-options.js';
export { backendLoggerOptions, type LogDestination } from './server/logger.js';
export { configOrExit, runServer } from './server/run-server.js';
export { ApiError, SessionStoreUnavailableError } from './errors/api-error.js';
export { defineScript, execute, redisOperation, type RedisClient } from './storage/redis-client.js';
export { userSlotTag } from './storage/hash-tags.js';
export { newSessionId, slotTagOf } from './session/session-ids.js';
export { topologyCheck, createRedisClient, type RedisReadiness } from './storage/redis-topologies.js';
export type { HostPort, RedisSettings, RedisTopology, RedisTopologyName } from './config/redis-settings.js';
export type { SessionService, SignIn } from './session/session-service.js';
export { RelyingParty, type RelyingPartySettings, type SignInChecks } from './oauth/relying-party.js';
export { FusionAuthGateway, type ClientContext, type FusionAuthSettings } from './fusionauth/gateway.js';
export { interpretLogin, type LoginOutcome } from './fusionauth/login-outcome.js';
export type { StoredSession } from './session/session-data.js';
export { decodeSession } from './session/session-codec.js';
export { hashSessionId, type SessionRecords } from './session/records/session-records.js';
export {
  RedisSessionRecords,
  sessionRecordKey,
  userSessionsKey,
  type Replication,
} from './session/records/redis-session-records.js';
export { MemorySessionRecords } from './session/records/memory-session-records.js';
export { SessionStoreAdapter } from './session/session-store-adapter.js';
export * from './schemas/index.js';
