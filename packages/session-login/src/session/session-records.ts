import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoredSession } from './session-data.js';

/**
 * Where session records live. Records are keyed by a SHA-256 of the session id, never the id
 * itself, so a dump of the store holds nothing a browser could present as a cookie. The id carries
 * 192 random bits, so the hash needs no secret.
 */
export interface SessionRecords {
  read(sessionId: string): Promise<StoredSession | undefined>;
  /** Stores the record until `expiresAt` (Unix ms); the store drops it by itself after that. */
  write(sessionId: string, record: StoredSession, expiresAt: number): Promise<void>;
  remove(sessionId: string): Promise<void>;
}

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

function parse(json: string | null | undefined): StoredSession | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as StoredSession;
  } catch {
    return undefined;
  }
}

/** Records in Redis as JSON strings under `<keyPrefix>session:<hash>`, with a TTL to match. */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  key(sessionId: string): string {
    return `${this.keyPrefix}session:${hashSessionId(sessionId)}`;
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    return parse(await this.redis.get(this.key(sessionId)));
  }

  async write(sessionId: string, record: StoredSession, expiresAt: number): Promise<void> {
    const ttl = Math.max(1, expiresAt - Date.now());
    await this.redis.set(this.key(sessionId), JSON.stringify(record), 'PX', ttl);
  }

  async remove(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }
}

/**
 * The embedded store for development without Redis: the same keys, JSON and expiry, in this
 * process's memory. Expired records are dropped when read and swept once a minute.
 */
export class MemorySessionRecords implements SessionRecords {
  private readonly records = new Map<string, { json: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    const key = hashSessionId(sessionId);
    const entry = this.records.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.records.delete(key);
    return entry && entry.expiresAt > Date.now() ? parse(entry.json) : undefined;
  }

  async write(sessionId: string, record: StoredSession, expiresAt: number): Promise<void> {
    this.records.set(hashSessionId(sessionId), { json: JSON.stringify(record), expiresAt });
  }

  async remove(sessionId: string): Promise<void> {
    this.records.delete(hashSessionId(sessionId));
  }

  /** How many records are held (expired ones included until swept). */
  get size(): number {
    return this.records.size;
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
