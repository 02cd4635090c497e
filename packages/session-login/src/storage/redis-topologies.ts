import type { FastifyBaseLogger } from 'fastify';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { HostPort, RedisSettings, RedisTopologyName } from '../config/redis-settings.js';
import { ConfigError } from '../config/variables.js';
import type { RedisClient } from './redis-client.js';

/** How long a reconnection waits after `attempt` failures: quickly at first, then every 2 s. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/** How long a Cluster command waits before it tries again while a node fails over. */
const clusterRetryDelayMs = 100;

/** How each data node is reached: timeouts, credentials, TLS. */
function connectionOptions(settings: RedisSettings): RedisOptions {
  const { commandTimeoutMs } = settings;
  return {
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: settings.tlsCa ? { ca: settings.tlsCa } : {} } : {}),
  };
}

/**
 * A client for the configured topology that fails fast instead of queueing: with the offline queue
 * off and a command timeout, a request meets a dead or stalled Redis with an error within
 * `commandTimeoutMs` (answered 503), while the client keeps reconnecting in the background so
 * service resumes by itself: on the same server, on the Cluster's new slot owner, or on the
 * primary the sentinels promote.
 */
export function createRedisClient(settings: RedisSettings, log: Pick<FastifyBaseLogger, 'warn'>): RedisClient {
  const { topology, commandTimeoutMs } = settings;
  const connection = connectionOptions(settings);
  const tls = connection.tls;
  // Commands issued in the same tick (many requests' session reads under load) go out in one
  // write per server: fewer system calls per request, the largest single cost of a guarded read.
  const shared = { enableOfflineQueue: false, enableAutoPipelining: true };
  let client: RedisClient;
  switch (topology.kind) {
    case 'single':
      client = new Redis(topology.url, { ...connection, ...shared, retryStrategy: reconnectDelay });
      break;
    case 'sentinel':
      client = new Redis({
        ...connection,
        ...shared,
        sentinels: topology.sentinels,
        name: topology.masterName,
        role: 'master',
        ...(topology.sentinelUsername ? { sentinelUsername: topology.sentinelUsername } : {}),
        ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
        // ioredis names them the other way round: `enableTLSForSentinelMode` is TLS to the data
        // nodes the sentinels name (with `tls`), `sentinelTLS` TLS to the sentinels themselves.
        enableTLSForSentinelMode: settings.tls,
        ...(topology.sentinelTls ? { sentinelTLS: settings.tlsCa ? { ca: settings.tlsCa } : {} } : {}),
        sentinelRetryStrategy: reconnectDelay,
        retryStrategy: reconnectDelay,
        // The sentinels announce a promotion at once (+switch-master), rather than the client
        // finding out when its connection to the old primary fails.
        failoverDetector: true,
      });
      break;
    case 'cluster':
      client = new Cluster(topology.nodes, {
        ...shared,
        redisOptions: connection,
        clusterRetryStrategy: reconnectDelay,
        // A node that fails over is closed, or answers CLUSTERDOWN, for a moment: try again shortly,
        // and only as often as fits in the command timeout. ioredis's 16 tries by default held a
        // request 1.6 s during a failover whatever the timeout said.
        retryDelayOnFailover: clusterRetryDelayMs,
        retryDelayOnClusterDown: clusterRetryDelayMs,
        maxRedirections: Math.max(2, Math.floor(commandTimeoutMs / clusterRetryDelayMs)),
        slotsRefreshTimeout: Math.max(commandTimeoutMs, 1000),
        // Behind TLS a node's certificate names its host, not the address the cluster announces.
        ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      });
      break;
  }
  // Without a listener ioredis prints every failed reconnection attempt to the console.
  client.on('error', (error: Error) => log.warn({ err: error }, 'Redis connection error'));
  if (client instanceof Cluster) {
    client.on('node error', (error: Error, node: string) => log.warn({ err: error, node }, 'Redis Cluster node error'));
  }
  return client;
}

/** What `/readyz` says about Redis: whether it serves, and as which topology. */
export interface RedisReadiness {
  status: 'ok' | 'unavailable';
  topology: RedisTopologyName | 'embedded';
  /** Why it does not serve, in words for an operator (addresses and errors go to the log only). */
  problem?: string;
  /** A Cluster's primaries serving now. */
  primaries?: number;
}

/** A readiness, and what the log says of it beside the operator's words: addresses, the error. */
interface Inspection {
  readiness: RedisReadiness;
  detail?: Record<string, unknown>;
}

/**
 * Asks Redis whether it is what the configuration says: a single server or a sentinel's primary
 * that is a primary (not a replica, which cannot take writes) and not a Cluster node (where every
 * sign-in would meet MOVED), or a Cluster whose state is ok.
 */
async function inspectTopology(client: RedisClient, topology: RedisTopologyName): Promise<Inspection> {
  const unavailable = (problem: string, detail: Record<string, unknown>): Inspection => ({
    readiness: { status: 'unavailable', topology, problem },
    detail,
  });
  try {
    if (client instanceof Cluster) {
      const info = String(await client.cluster('INFO'));
      const primaries = client.nodes('master').length;
      if (!info.includes('cluster_state:ok'))
        return unavailable('the Cluster is not ok (cluster_state)', { primaries });
      return { readiness: { status: 'ok', topology, primaries } };
    }
    const [role, cluster] = await Promise.all([client.role(), client.info('cluster')]);
    const server = addressOf(client);
    if (cluster.includes('cluster_enabled:1')) {
      return unavailable('the server is a Cluster node: list its nodes in REDIS_CLUSTER_NODES instead', { server });
    }
    if (role[0] !== 'master') return unavailable('the server is a replica, which cannot take writes', { server });
    return { readiness: { status: 'ok', topology } };
  } catch (error) {
    return unavailable('Redis does not answer', { err: error });
  }
}

/**
 * The check of `client` against its configured topology (see inspectTopology), for start-up and for
 * every `/readyz`. It logs when the answer changes, not each time: a load balancer asks every few
 * seconds, and an outage would otherwise write a warning per probe.
 */
export function topologyCheck(
  client: RedisClient,
  topology: RedisTopologyName,
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>,
): () => Promise<RedisReadiness> {
  let lastProblem: string | undefined;
  return async () => {
    const { readiness, detail } = await inspectTopology(client, topology);
    if (readiness.problem !== lastProblem) {
      if (readiness.problem === undefined) log.info({ topology }, 'Redis is ready again');
      else log.warn({ topology, ...detail }, `Redis is not ready: ${readiness.problem}`);
      lastProblem = readiness.problem;
    }
    return readiness;
  };
}

function addressOf(client: Redis): string {
  const { remoteAddress, remotePort } = client.stream ?? {};
  return `${remoteAddress ?? '?'}:${remotePort ?? '?'}`;
}

/**
 * Asks the Cluster's seed nodes, before a Cluster client is made, whether they are Cluster nodes:
 * a Cluster client given a plain server only retries for ever, and the app would never start nor
 * say why. A seed that does not answer proves nothing (the client will keep trying it).
 */
export async function assertSeedsAreClusterNodes(settings: RedisSettings, seeds: HostPort[]): Promise<void> {
  for (const seed of seeds) {
    const probe = new Redis({
      ...connectionOptions(settings),
      ...seed,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      const info = await probe.info('cluster');
      if (info.includes('cluster_enabled:1')) return;
      throw new ConfigError(
        `REDIS_CLUSTER_NODES names ${seed.host}:${seed.port}, which is not a Cluster node: use REDIS_URL for a single server`,
      );
    } catch (error) {
      if (error instanceof ConfigError) throw error;
    } finally {
      probe.disconnect();
    }
  }
}
