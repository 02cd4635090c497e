export { loadAppConfig, configVariables, ConfigError, type AppConfig, type AppPrefix } from './config/environment.js';
export { createBackend, type Backend, type BackendContext, type BackendOptions } from './backend.js';
export { ApiError, SessionStoreUnavailableError, unauthenticated, type ErrorBody } from './errors/api-error.js';
export { FusionAuthGateway, type ClientContext, type FusionAuthSettings } from './fusionauth/gateway.js';
export { interpretLogin, type LoginOutcome } from './fusionauth/login-outcome.js';
export { errorBody, sessionUserSchema } from './routes/schemas.js';
export { cookieSettings, type CookieSettings } from './session/cookie-settings.js';
export { guardRoutes } from './session/guard.js';
export { requireUser, sessionUser } from './session/session-lifecycle.js';
export { recordExpiresAt, type SessionUser, type StoredSession } from './session/session-data.js';
export {
  hashSessionId,
  MemorySessionRecords,
  RedisSessionRecords,
  type SessionRecords,
} from './session/session-records.js';
export { sessionStoreFor } from './session/session-store.js';
export { createRedisClient, redisOperation } from './storage/redis-client.js';
export { configOrExit, runServer } from './server/run-server.js';
