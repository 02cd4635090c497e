import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, flag, required, whole } from './variables.js';

/** `host:port`, as the Cluster's seed nodes and the sentinels are listed. */
export interface HostPort {
  host: string;
  port: number;
}

const hostPortList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[^\s:]+:\d{1,5}$/, { error: (issue) => `has ${String(issue.input)}, which is not host:port` })
            .transform((entry): HostPort => {
              const at = entry.lastIndexOf(':');
              return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
            })
            .refine(({ port }) => port >= 1 && port <= 65_535, 'has a port outside 1–65535'),
        )
        .min(1, 'must list at least one host:port'),
    );

/** Every variable that says where Redis is and how to reach it. */
export const redisVariables = z.object({
  /** A single server: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  REDIS_URL: z.url({ ...required('a redis:// or rediss:// URL'), protocol: /^rediss?$/ }).optional(),
  /** A Redis Cluster: some of its nodes (`host:port`, comma-separated); the client finds the rest. */
  REDIS_CLUSTER_NODES: hostPortList().optional(),
  /** Redis under Sentinel: the sentinels (`host:port`, comma-separated), watching REDIS_SENTINEL_MASTER_NAME. */
  REDIS_SENTINELS: hostPortList().optional(),
  REDIS_SENTINEL_MASTER_NAME: z.string().min(1, 'must not be empty').optional(),
  /** The sentinels' own credentials and TLS, when they differ from the data nodes' (they usually do). */
  REDIS_SENTINEL_USERNAME: z.string().min(1, 'must not be empty').optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1, 'must not be empty').optional(),
  REDIS_SENTINEL_TLS: flag(false),
  /** The data nodes' credentials (ACL user and password) for a Cluster or Sentinel; a single server's are in REDIS_URL. */
  REDIS_USERNAME: z.string().min(1, 'must not be empty').optional(),
  REDIS_PASSWORD: z.string().min(1, 'must not be empty').optional(),
  /** TLS to the data nodes of a Cluster or Sentinel; a single server takes `rediss://`. */
  REDIS_TLS: flag(false),
  /** A PEM file of the certificate authorities Redis's TLS certificates are checked against (default: the system's). */
  REDIS_TLS_CA_FILE: z.string().min(1, 'must not be empty').optional(),
  REDIS_COMMAND_TIMEOUT_MS: whole(1, 1000),
  /**
   * Replicas that must hold a session's start or end before it is answered (Redis WAIT), so that a
   * failover cannot undo it. 0: the primary's word is enough (replication is asynchronous).
   */
  REDIS_WAIT_REPLICAS: whole(0, 0),
  /** How long such a write waits for the replicas before it is answered all the same (and logged). */
  REDIS_WAIT_TIMEOUT_MS: whole(1, 500),
  /** Put before each app's own key prefix (`store:`, `forum:`), so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .default('')
    .refine(
      (value) => !/[{}]/.test(value),
      'must not contain { or } (they would choose the Cluster slot of every key)',
    ),
});

type RedisVariables = z.infer<typeof redisVariables>;

/** Where Redis is: one server, a Cluster, or a primary that sentinels name. */
export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: HostPort[] }
  | {
      kind: 'sentinel';
      sentinels: HostPort[];
      masterName: string;
      sentinelUsername: string | undefined;
      sentinelPassword: string | undefined;
      sentinelTls: boolean;
    };

export type RedisTopologyName = RedisTopology['kind'];

export interface RedisSettings {
  topology: RedisTopology;
  /** The data nodes' credentials (a single server's may be in its URL instead). */
  username: string | undefined;
  password: string | undefined;
  /** TLS to the data nodes (a single server: its URL is `rediss://`), with the CAs to trust, if not the system's. */
  tls: boolean;
  tlsCa: string | undefined;
  commandTimeoutMs: number;
  /** Writes that must survive a failover wait for this many replicas, this long. */
  replication: { replicas: number; timeoutMs: number } | undefined;
}

/**
 * The Redis settings the variables describe, or undefined when none names a server (the embedded
 * in-memory mode). Exactly one topology may be named.
 */
export function redisSettingsFrom(values: RedisVariables): RedisSettings | undefined {
  const named = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (named.length > 1) {
    throw new ConfigError(`${named.join(' and ')} are both set: choose one Redis topology`);
  }
  const topology = topologyFrom(values);
  if (!topology) {
    const stray = (
      ['REDIS_SENTINEL_MASTER_NAME', 'REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS_CA_FILE'] as const
    ).find((name) => values[name] !== undefined);
    if (stray)
      throw new ConfigError(`${stray} is set, but no Redis is: set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS`);
    return undefined;
  }
  if (topology.kind === 'single' && values.REDIS_TLS) {
    throw new ConfigError('REDIS_TLS applies to a Cluster or Sentinel; a single server takes a rediss:// REDIS_URL');
  }
  if (values.REDIS_WAIT_REPLICAS > 0 && values.REDIS_WAIT_TIMEOUT_MS >= values.REDIS_COMMAND_TIMEOUT_MS) {
    throw new ConfigError(
      'REDIS_WAIT_TIMEOUT_MS must be less than REDIS_COMMAND_TIMEOUT_MS (a write that waits for replicas is one command)',
    );
  }
  return {
    topology,
    username: values.REDIS_USERNAME,
    password: values.REDIS_PASSWORD,
    tls: topology.kind === 'single' ? topology.url.startsWith('rediss:') : values.REDIS_TLS,
    tlsCa: values.REDIS_TLS_CA_FILE === undefined ? undefined : readCertificates(values.REDIS_TLS_CA_FILE),
    commandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
    replication:
      values.REDIS_WAIT_REPLICAS > 0
        ? { replicas: values.REDIS_WAIT_REPLICAS, timeoutMs: values.REDIS_WAIT_TIMEOUT_MS }
        : undefined,
  };
}

function topologyFrom(values: RedisVariables): RedisTopology | undefined {
  if (values.REDIS_URL !== undefined) return { kind: 'single', url: values.REDIS_URL };
  if (values.REDIS_CLUSTER_NODES !== undefined) return { kind: 'cluster', nodes: values.REDIS_CLUSTER_NODES };
  if (values.REDIS_SENTINELS === undefined) return undefined;
  if (values.REDIS_SENTINEL_MASTER_NAME === undefined) {
    throw new ConfigError(
      'REDIS_SENTINEL_MASTER_NAME is required with REDIS_SENTINELS (the name the sentinels monitor)',
    );
  }
  return {
    kind: 'sentinel',
    sentinels: values.REDIS_SENTINELS,
    masterName: values.REDIS_SENTINEL_MASTER_NAME,
    sentinelUsername: values.REDIS_SENTINEL_USERNAME,
    sentinelPassword: values.REDIS_SENTINEL_PASSWORD,
    sentinelTls: values.REDIS_SENTINEL_TLS,
  };
}

function readCertificates(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it holds no PEM certificate');
    return text;
  } catch (error) {
    throw new ConfigError(
      `REDIS_TLS_CA_FILE cannot be used: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
