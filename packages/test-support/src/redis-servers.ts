import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { TestCertificates } from './tls-certificates.js';

/** The local `redis-server` (Debian's package; `.ci/run` installs it when missing). */
const redisServerBinary = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';

/** Where a server is, and what a client needs to be let in: the CA to trust, the password. */
export interface Address {
  host: string;
  port: number;
  tls?: { ca: string };
  password?: string;
}

/** How a test's servers are secured: TLS only (clients, replication, the cluster bus), a password, or both. */
export interface RedisSecurity {
  tls?: TestCertificates;
  password?: string;
  /** With `tls`: TLS to other servers only (replication, a sentinel's watch), clients let in without it. */
  plainListener?: boolean;
}

/** The arguments that make a server speak TLS only, on `port`, and ask for the password. */
function securityArguments(port: number, security: RedisSecurity): string[] {
  const { tls, password } = security;
  const listensOnTls = tls !== undefined && security.plainListener !== true;
  return [
    ...(listensOnTls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]),
    ...(tls
      ? [
          ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile],
          ...['--tls-auth-clients', 'no', '--tls-replication', 'yes', '--tls-cluster', 'yes'],
        ]
      : []),
    ...(password ? ['--requirepass', password, '--masterauth', password] : []),
  ];
}

/** A port nobody listens on now, and (for a cluster node) whose bus port, 10000 above it, is free too. */
async function freePort(withBusPort = false): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (!withBusPort) return port;
    if (
      port + 10_000 <= 65_535 &&
      (await listenOnce(port + 10_000).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** Waits until `check` holds, asking every 50 ms, for at most `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One command to the server at `address`, on a connection of its own that gives up at once. */
export async function ask(address: Address, ...command: [string, ...Array<string | number>]): Promise<unknown> {
  const { tls, ...rest } = address;
  const client = new Redis({
    ...rest,
    ...(tls ? { tls } : {}),
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/** A `redis-server` process of a test's own, on a free port, keeping nothing on disk. */
export class RedisServer {
  private exited: Promise<void>;

  private constructor(
    private readonly process: ChildProcess,
    readonly address: Address,
    readonly role: string,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
  }

  /**
   * Starts `role` (named in errors) with its files in `directory`: a data node with `arguments`, or
   * a sentinel with its configuration file. A sentinel's security is TLS only: the data nodes'
   * password is in its configuration file.
   */
  static async start(options: {
    role: string;
    directory: string;
    arguments?: string[];
    sentinel?: { configFile: string; port: number };
    security?: RedisSecurity;
  }): Promise<RedisServer> {
    const { role, directory, sentinel, security = {} } = options;
    const extraArguments = options.arguments ?? [];
    const listenPort = sentinel?.port ?? (await freePort(extraArguments.includes('--cluster-enabled')));
    const child = spawn(
      redisServerBinary,
      [
        // A sentinel's configuration file comes first: the sentinel rewrites it as it learns.
        ...(sentinel ? [sentinel.configFile, '--sentinel'] : []),
        ...securityArguments(listenPort, security),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        directory,
        ...extraArguments,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const server = new RedisServer(
      child,
      {
        host: '127.0.0.1',
        port: listenPort,
        ...(security.tls && !security.plainListener ? { tls: { ca: security.tls.ca } } : {}),
        ...(security.password ? { password: security.password } : {}),
      },
      role,
    );
    await waitFor(`${role} on port ${listenPort}`, async () => (await ask(server.address, 'PING')) === 'PONG');
    return server;
  }

  /** `host:port`, as configuration lists it. */
  get hostPort(): string {
    return `${this.address.host}:${this.address.port}`;
  }

  /** Kills the server at once (SIGKILL: no shutdown, as a crashed machine). */
  async kill(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
  }
}

/** Servers and their working folder, all removed by `stop`. */
abstract class RedisTopology {
  protected constructor(
    protected readonly directory: string,
    readonly servers: RedisServer[],
  ) {}

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.kill()));
    await rm(this.directory, { recursive: true, force: true });
  }
}

/**
 * A Redis Cluster of `primaries` primary nodes, every slot assigned, state ok; with `replicas`, one
 * replica of each primary, in sync, which takes over when its primary dies.
 */
export class TestRedisCluster extends RedisTopology {
  private constructor(
    directory: string,
    servers: RedisServer[],
    /** The primaries, in slot order, and (with replicas) the replica of each, in the same order. */
    readonly primaries: RedisServer[],
    readonly replicas: RedisServer[],
  ) {
    super(directory, servers);
  }

  static async start(
    primaries = 3,
    security: RedisSecurity = {},
    options: { replicas?: boolean } = {},
  ): Promise<TestRedisCluster> {
    const directory = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
    const nodeCount = options.replicas ? primaries * 2 : primaries;
    const servers = await Promise.all(
      Array.from({ length: nodeCount }, (_, index) =>
        RedisServer.start({
          role: `cluster node ${index + 1}`,
          directory,
          arguments: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${index + 1}.conf`,
            '--cluster-node-timeout',
            '2000',
          ],
          security,
        }),
      ),
    );
    const cluster = new TestRedisCluster(directory, servers, servers.slice(0, primaries), servers.slice(primaries));
    try {
      // The slots split evenly, each node announced to the others; what `redis-cli --cluster create` does.
      const perNode = Math.ceil(16_384 / primaries);
      await Promise.all(
        cluster.primaries.map((server, index) => {
          const slots = [];
          for (let slot = index * perNode; slot < Math.min(16_384, (index + 1) * perNode); slot += 1) slots.push(slot);
          return ask(server.address, 'CLUSTER', 'ADDSLOTS', ...slots);
        }),
      );
      const [first, ...others] = servers as [RedisServer, ...RedisServer[]];
      await Promise.all(
        others.map((server) => ask(first.address, 'CLUSTER', 'MEET', server.address.host, server.address.port)),
      );
      await waitFor('the cluster to agree', async () => {
        const states = await Promise.all(servers.map((server) => ask(server.address, 'CLUSTER', 'INFO')));
        return states.every(
          (info) =>
            String(info).includes('cluster_state:ok') && String(info).includes(`cluster_known_nodes:${nodeCount}`),
        );
      });
      await Promise.all(
        cluster.replicas.map(async (replica, index) => {
          const primary = cluster.primaries[index] as RedisServer;
          const primaryId = String(await ask(primary.address, 'CLUSTER', 'MYID'));
          await ask(replica.address, 'CLUSTER', 'REPLICATE', primaryId);
          await waitFor(`the replica of ${primary.hostPort} to sync`, async () =>
            String(await ask(replica.address, 'INFO', 'replication')).includes('master_link_status:up'),
          );
        }),
      );
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** The seed nodes, as REDIS_CLUSTER_NODES lists them. */
  get nodes(): string {
    return this.servers.map((server) => server.hostPort).join(',');
  }

  /** The primary `key`'s slot was given at the start (its replica, if any, is at the same index). */
  async primaryOf(key: string): Promise<RedisServer> {
    const slot = Number(await ask((this.primaries[0] as RedisServer).address, 'CLUSTER', 'KEYSLOT', key));
    const perNode = Math.ceil(16_384 / this.primaries.length);
    return this.primaries[Math.floor(slot / perNode)] as RedisServer;
  }
}

/** A primary, one replica of it, and `sentinels` sentinels watching them under the name `master`. */
export class TestRedisSentinel extends RedisTopology {
  static readonly masterName = 'test-primary';

  private constructor(
    directory: string,
    servers: RedisServer[],
    readonly primary: RedisServer,
    readonly replica: RedisServer,
    readonly sentinels: RedisServer[],
  ) {
    super(directory, servers);
  }

  /** `security` is the data nodes'; the sentinels listen on TLS with them, unless `plainSentinels`. */
  static async start(
    sentinelCount = 3,
    security: RedisSecurity = {},
    options: { plainSentinels?: boolean } = {},
  ): Promise<TestRedisSentinel> {
    const plainSentinels = options.plainSentinels ?? false;
    const directory = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
    const servers: RedisServer[] = [];
    try {
      const primary = await RedisServer.start({ role: 'primary', directory, security });
      servers.push(primary);
      const replica = await RedisServer.start({
        role: 'replica',
        directory,
        arguments: ['--replicaof', primary.address.host, String(primary.address.port)],
        security,
      });
      servers.push(replica);
      await waitFor('the replica to sync', async () =>
        String(await ask(replica.address, 'INFO', 'replication')).includes('master_link_status:up'),
      );
      const sentinels: RedisServer[] = [];
      for (let index = 0; index < sentinelCount; index += 1) {
        const port = await freePort();
        const file = join(directory, `sentinel-${index + 1}.conf`);
        await writeFile(
          file,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `sentinel monitor ${TestRedisSentinel.masterName} ${primary.address.host} ${primary.address.port} ${Math.floor(sentinelCount / 2) + 1}`,
            `sentinel down-after-milliseconds ${TestRedisSentinel.masterName} 1000`,
            `sentinel failover-timeout ${TestRedisSentinel.masterName} 5000`,
            `sentinel parallel-syncs ${TestRedisSentinel.masterName} 1`,
            ...(security.password ? [`sentinel auth-pass ${TestRedisSentinel.masterName} ${security.password}`] : []),
            '',
          ].join('\n'),
        );
        const sentinel = await RedisServer.start({
          role: `sentinel ${index + 1}`,
          directory,
          sentinel: { configFile: file, port },
          security: security.tls ? { tls: security.tls, plainListener: plainSentinels } : {},
        });
        sentinels.push(sentinel);
        servers.push(sentinel);
      }
      const topology = new TestRedisSentinel(directory, servers, primary, replica, sentinels);
      await waitFor('the sentinels to see the replica and each other', async () => {
        const views = await Promise.all(
          sentinels.map((sentinel) => ask(sentinel.address, 'SENTINEL', 'MASTER', TestRedisSentinel.masterName)),
        );
        return views.every((view) => {
          const fields = fieldsOf(view);
          return fields['num-slaves'] === '1' && Number(fields['num-other-sentinels']) === sentinelCount - 1;
        });
      });
      return topology;
    } catch (error) {
      await Promise.all(servers.map((server) => server.kill()));
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** The sentinels, as REDIS_SENTINELS lists them. */
  get addresses(): string {
    return this.sentinels.map((sentinel) => sentinel.hostPort).join(',');
  }

  /** The primary the sentinels name now. */
  async currentPrimary(): Promise<Address> {
    const [host, port] = (await ask(
      this.sentinels[0]!.address,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      TestRedisSentinel.masterName,
    )) as [string, string];
    return { host, port: Number(port) };
  }
}

/** A flat [name, value, ...] answer as a record. */
function fieldsOf(answer: unknown): Record<string, string> {
  const list = Array.isArray(answer) ? answer.map(String) : [];
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < list.length; index += 2) fields[list[index]!] = list[index + 1]!;
  return fields;
}
