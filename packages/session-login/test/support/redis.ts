import { randomUUID } from 'node:crypto';
import { sessionIdOf, TcpProxy, type BackendFixture, type TestRedis } from '@native-login/test-support';
import type { Redis } from 'ioredis';
import type { Test } from 'tap';
import { hashSessionId } from '../../src/index.js';

/** The Redis key of the session record a session cookie names, in the test's key namespace. */
export const sessionKey = (redis: TestRedis, cookie: string | undefined) =>
  `${redis.keyPrefix}session:${hashSessionId(sessionIdOf(cookie ?? ''))}`;

/**
 * An app that reaches the test's Redis through a proxy the test can cut, stall and restore, with
 * Redis commands timing out after 300 ms. The proxy is closed when `t` ends.
 */
export async function behindRedisProxy(t: Test, fixture: BackendFixture) {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.redis.url).port || 6379) });
  t.teardown(() => proxy.close());
  const app = await fixture.build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
  return { proxy, app };
}

/**
 * The commands `client` sends while `action` runs, as Redis's MONITOR reports them (names
 * upper-case, then their arguments): only that client's, since other test files share the
 * server, and every one of them, since the recording ends only when a marker the client sends
 * after the action has come through.
 */
export async function commandsOf(redis: TestRedis, client: Redis, action: () => Promise<unknown>): Promise<string[][]> {
  const monitor = await redis.client.monitor();
  const source = `${client.stream.localAddress ?? '127.0.0.1'}:${client.stream.localPort ?? 0}`;
  const marker = `end-of-recording-${randomUUID()}`;
  const commands: string[][] = [];
  try {
    const done = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: unknown[], from: string) => {
        if (from !== source) return;
        const [command = '', ...rest] = args.map(String);
        if (command.toLowerCase() === 'echo' && rest[0] === marker) resolve();
        else commands.push([command.toUpperCase(), ...rest]);
      });
    });
    await action();
    await client.echo(marker);
    await done;
    return commands;
  } finally {
    monitor.disconnect();
  }
}
