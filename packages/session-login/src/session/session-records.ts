import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoredSession } from './session-data.js';

/**
 * Where session records live. Records are keyed by a SHA-256 of the session id, never the id
 * itself, so a dump of the store holds nothing a browser could present as a cookie. The id carries
 * 192 random bits, so the hash needs no secret.
 *
 * Ending a session leaves a tombstone for as long as the session could have lived, and writes are
 * refused over a tombstone: a slow request that loaded the session before a logout (or before a
 * login replaced it) cannot write it back when it finishes.
 */
export interface SessionRecords {
  read(sessionId: string): Promise<StoredSession | undefined>;
  /** Stores the record until `expiresAt` (Unix ms), unless the session has ended; answers whether it did. */
  write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean>;
  /** Ends the session: removes its record and refuses it from now on. */
  end(sessionId: string): Promise<void>;
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

// One round trip that checks the tombstone and writes, so nothing can end the session in between.
const writeUnlessEnded = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Records in Redis as JSON strings under `<keyPrefix>session:<hash>`, with a TTL to match, and
 * tombstones under `<keyPrefix>session-ended:<hash>`.
 */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** How long a tombstone stays: the absolute session lifetime, after which no record could be revived. */
    private readonly tombstoneTtlMs: number,
  ) {}

  key(sessionId: string): string {
    return `${this.keyPrefix}session:${hashSessionId(sessionId)}`;
  }

  private tombstone(sessionId: string): string {
    return `${this.keyPrefix}session-ended:${hashSessionId(sessionId)}`;
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    return parse(await this.redis.get(this.key(sessionId)));
  }

  async write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(1, expiresAt - Date.now());
    const keys = [this.key(sessionId), this.tombstone(sessionId)];
    return Number(await this.redis.eval(writeUnlessEnded, 2, ...keys, JSON.stringify(record), ttl)) === 1;
  }

  async end(sessionId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.key(sessionId))
      .set(this.tombstone(sessionId), '1', 'PX', this.tombstoneTtlMs)
      .exec();
  }
}

/**
 * The embedded store for development without Redis: the same keys, JSON, expiry and tombstones,
 * in this process's memory. Expired entries are dropped when read and swept once a minute.
 */
export class MemorySessionRecords implements SessionRecords {
  private readonly records = new Map<string, { json: string; expiresAt: number }>();
  private readonly tombstones = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly tombstoneTtlMs: number,
    sweepIntervalMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    const entry = this.records.get(hashSessionId(sessionId));
    return entry && entry.expiresAt > Date.now() ? parse(entry.json) : undefined;
  }

  async write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean> {
    const key = hashSessionId(sessionId);
    if ((this.tombstones.get(key) ?? 0) > Date.now()) return false;
    this.records.set(key, { json: JSON.stringify(record), expiresAt });
    return true;
  }

  async end(sessionId: string): Promise<void> {
    const key = hashSessionId(sessionId);
    this.records.delete(key);
    this.tombstones.set(key, Date.now() + this.tombstoneTtlMs);
  }

  /** How many records and tombstones are held (expired ones included until swept). */
  get size(): number {
    return this.records.size + this.tombstones.size;
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
    for (const [key, until] of this.tombstones) if (until <= now) this.tombstones.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
