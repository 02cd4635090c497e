export { startStandIn, type RunningStandIn } from './stand-in.js';
export { useRedis, deleteKeys, snapshotKeys, testRedisUrl, testRedisTopology, type TestRedis } from './redis.js';
export {
  RedisServer,
  TestRedisCluster,
  TestRedisSentinel,
  ask,
  waitFor,
  type Address,
  type RedisSecurity,
} from './redis-servers.js';
export { createTestCertificates, type TestCertificates } from './tls-certificates.js';
export { CookieJar, sessionIdOf } from './cookie-jar.js';
export { Browser } from './browser.js';
export {
  OAuthBrowser,
  type Followed,
  type PageAnswer,
  type RequestOptions,
  type SignInOptions,
} from './oauth-browser.js';
export { TcpProxy } from './tcp-proxy.js';
export { HttpBrowser, requestOnce, type HttpAnswer, type HttpRequestOptions } from './http-client.js';
export { testConfig, testEnvironment } from './app-config.js';
export {
  backendFixture,
  buildBackend,
  type AppPlugin,
  type BackendFixture,
  type BuildOptions,
} from './backend-fixture.js';
export { runEntryPoint, type RunningEntryPoint } from './entry-point.js';
export { assertBadBodiesRefused, badBodies } from './bad-bodies.js';
export { LogCapture } from './log-capture.js';
export {
  launchChromium,
  screenshot,
  collectCspViolations,
  chromiumPath,
  artifactsFolder,
  type ChromiumOptions,
} from './chromium.js';
export { recordWebhookDeliveries, type WebhookDeliveries, type WebhookDelivery } from './webhook-deliveries.js';
export { assertOpenApiListsEveryRoute } from './openapi.js';
