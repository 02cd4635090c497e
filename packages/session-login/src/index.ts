export { loadAppConfig, configVariables, ConfigError, type AppConfig, type AppPrefix } from './config/environment.js';
export { createBackend, type AppRoutes, type Backend, type BackendContext, type BackendOptions } from './backend.js';
export { ApiError, SessionStoreUnavailableError, type ErrorBody } from './errors/api-error.js';
export { FusionAuthGateway, type ClientContext, type FusionAuthSettings } from './fusionauth/gateway.js';
export { interpretLogin, type LoginOutcome } from './fusionauth/login-outcome.js';
export { errorBody } from './routes/schemas.js';
export { guardRoutes } from './session/guard.js';
export { requireUser } from './session/session-lifecycle.js';
export type { SessionUser, StoredSession } from './session/session-data.js';
export {
  hashSessionId,
  MemorySessionRecords,
  RedisSessionRecords,
  type SessionRecords,
} from './session/session-records.js';
export { sessionStoreFor } from './session/session-store.js';
export { redisOperation } from './storage/redis-client.js';
export { configOrExit, runServer } from './server/run-server.js';
