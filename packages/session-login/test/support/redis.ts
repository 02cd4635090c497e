import { randomUUID } from 'node:crypto';
import { sessionIdOf, TcpProxy, testRedisUrl, type BackendFixture, type TestRedis } from '@native-login/test-support';
import { once } from 'node:events';
import { Cluster, type Redis } from 'ioredis';
import type { Test } from 'tap';
import { sessionRecordKey, type RedisClient } from '../../src/index.js';

/** The Redis key of the session record a session cookie names, in the test's key namespace. */
export const sessionKey = (redis: TestRedis, cookie: string | undefined) =>
  sessionRecordKey(redis.keyPrefix, sessionIdOf(cookie ?? ''));

/**
 * An app that reaches a single Redis server through a proxy the test can cut, stall and restore,
 * with Redis commands timing out after 300 ms. The proxy is closed when `t` ends. It is the test
 * machine's single server even when the run is on a Cluster: a Cluster client learns the nodes'
 * own addresses and would go around the proxy.
 */
export async function behindRedisProxy(
  t: Test,
  fixture: BackendFixture,
  options?: Parameters<BackendFixture['build']>[1],
) {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(testRedisUrl).port || 6379) });
  t.teardown(() => proxy.close());
  const app = await fixture.build(
    {
      REDIS_CLUSTER_NODES: undefined,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      ...(options?.logStream && { LOG_LEVEL: 'info' }),
    },
    options,
  );
  return { proxy, app };
}

/** The servers behind a client: the one server, or every primary of a Cluster. */
export const serversOf = (client: RedisClient): Redis[] =>
  client instanceof Cluster ? client.nodes('master') : [client];

/** A connection of the test's own to its Redis (on a Cluster, a Cluster client), ready for commands. */
export async function separateClient(t: Test, redis: TestRedis): Promise<RedisClient> {
  const client = redis.client instanceof Cluster ? redis.client.duplicate() : redis.client.duplicate();
  t.teardown(() => client.disconnect());
  await (client instanceof Cluster ? once(client, 'ready') : client.ping());
  return client;
}

/**
 * The commands `client` sends while `action` runs, as Redis's MONITOR reports them (names
 * upper-case, then their arguments), on every server it talks to: only that client's, since other
 * test files share the server, and every one of them, since the recording ends only when a marker
 * the client sends each server after the action has come through. Commands to different servers
 * of a Cluster are listed in the order the servers report them, one server after another.
 */
export async function commandsOf(
  redis: TestRedis,
  client: RedisClient,
  action: () => Promise<unknown>,
): Promise<string[][]> {
  const servers = serversOf(client);
  // A Cluster client connects to each node on its first command there: connect them all first.
  await Promise.all(servers.map((server) => server.ping()));
  const monitors = await Promise.all(serversOf(redis.client).map((server) => server.monitor()));
  const sources = new Set(
    servers.map(({ stream }) => `${stream.localAddress ?? '127.0.0.1'}:${stream.localPort ?? 0}`),
  );
  const marker = `end-of-recording-${randomUUID()}`;
  const commands: string[][] = [];
  try {
    let markersDue = servers.length;
    const done = new Promise<void>((resolve) => {
      for (const monitor of monitors) {
        monitor.on('monitor', (_time: string, args: unknown[], from: string) => {
          if (!sources.has(from)) return;
          const [command = '', ...rest] = args.map(String);
          if (command.toLowerCase() !== 'echo' || rest[0] !== marker) commands.push([command.toUpperCase(), ...rest]);
          else if ((markersDue -= 1) === 0) resolve();
        });
      }
    });
    await action();
    await Promise.all(servers.map((server) => server.echo(marker)));
    await done;
    return commands;
  } finally {
    for (const monitor of monitors) monitor.disconnect();
  }
}
