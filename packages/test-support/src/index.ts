export { startStandIn, type RunningStandIn } from './stand-in.js';
export { useRedis, deleteKeys, testRedisUrl, type TestRedis } from './redis.js';
export { CookieJar, sessionIdOf } from './cookie-jar.js';
export { Browser } from './browser.js';
export { TcpProxy } from './tcp-proxy.js';
export { testConfig, testEnvironment } from './app-config.js';
export { backendFixture, type BackendFixture } from './backend-fixture.js';
export { runEntryPoint, type RunningEntryPoint } from './entry-point.js';
