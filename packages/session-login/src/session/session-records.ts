import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisOperation } from '../storage/redis-client.js';
import { decodeSession, encodeSession } from './session-codec.js';
import type { StoredSession } from './session-data.js';

/**
 * Where session records live. Records are keyed by a SHA-256 of the session id, never the id
 * itself, so a dump of the store holds nothing a browser could present as a cookie. The id carries
 * 192 random bits, so the hash needs no secret. The hash is also the handle a user sees for a
 * session in their list: it names the session without being able to act as it.
 *
 * Ending a session leaves a tombstone for as long as the session could have lived, and writes are
 * refused over a tombstone: a slow request that loaded the session before a logout (or before a
 * login replaced it) cannot write it back when it finishes.
 *
 * A signed-in session is also listed under its user, so that the user (or a FusionAuth event about
 * them) can find and end all of it.
 */
export interface SessionRecords {
  read(sessionId: string): Promise<StoredSession | undefined>;
  /** Stores the record until `expiresAt` (Unix ms), unless the session has ended; answers whether it did. */
  write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean>;
  /** Ends the session: removes its record and refuses it from now on. */
  end(sessionId: string): Promise<void>;
  /** The user's live sessions in this app, by handle. */
  listForUser(userId: string): Promise<Array<{ handle: string; record: StoredSession }>>;
  /** Ends one of the user's sessions by its handle; answers whether it was theirs. */
  endForUser(userId: string, handle: string): Promise<boolean>;
}

export function hashSessionId(sessionId: string): string {
  return hash('sha256', sessionId, 'base64url');
}

// One round trip that checks the tombstone, writes, and lists the session under its user, so
// nothing can end the session in between.
const writeUnlessEnded = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if KEYS[3] then
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[4], 'GT')
  if redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
end
return 1`;

/**
 * Records in Redis as strings (see session-codec) under `<keyPrefix>session:<hash>` with a TTL to match,
 * tombstones under `<keyPrefix>session-ended:<hash>`, and each user's handles in the set
 * `<keyPrefix>user-sessions:<userId>`.
 */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** How long a tombstone stays: the absolute session lifetime, after which no record could be revived. */
    private readonly tombstoneTtlMs: number,
  ) {}

  key(sessionId: string): string {
    return this.recordKey(hashSessionId(sessionId));
  }

  private recordKey(handle: string): string {
    return `${this.keyPrefix}session:${handle}`;
  }

  private tombstoneKey(handle: string): string {
    return `${this.keyPrefix}session-ended:${handle}`;
  }

  private userKey(userId: string): string {
    return `${this.keyPrefix}user-sessions:${userId}`;
  }

  read(sessionId: string): Promise<StoredSession | undefined> {
    return redisOperation(async () => decodeSession(await this.redis.get(this.key(sessionId))));
  }

  write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean> {
    return redisOperation(() => this.writeRecord(sessionId, record, expiresAt));
  }

  private async writeRecord(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean> {
    const text = encodeSession(record);
    if (text === undefined) return false;
    const handle = hashSessionId(sessionId);
    const ttl = Math.max(1, expiresAt - Date.now());
    const keys = [this.recordKey(handle), this.tombstoneKey(handle)];
    if (record.user) keys.push(this.userKey(record.user.id));
    const args = [text, ttl, handle, this.tombstoneTtlMs];
    return Number(await this.redis.eval(writeUnlessEnded, keys.length, ...keys, ...args)) === 1;
  }

  end(sessionId: string): Promise<void> {
    return redisOperation(async () => {
      const handle = hashSessionId(sessionId);
      const record = decodeSession(await this.redis.get(this.recordKey(handle)));
      await this.endHandle(handle, record?.user?.id);
    });
  }

  private async endHandle(handle: string, userId: string | undefined): Promise<void> {
    const transaction = this.redis
      .multi()
      .del(this.recordKey(handle))
      .set(this.tombstoneKey(handle), '1', 'PX', this.tombstoneTtlMs);
    if (userId) transaction.srem(this.userKey(userId), handle);
    await transaction.exec();
  }

  listForUser(userId: string): Promise<Array<{ handle: string; record: StoredSession }>> {
    return redisOperation(() => this.listRecords(userId));
  }

  private async listRecords(userId: string): Promise<Array<{ handle: string; record: StoredSession }>> {
    const handles = await this.redis.smembers(this.userKey(userId));
    if (handles.length === 0) return [];
    const records = await this.redis.mget(handles.map((handle) => this.recordKey(handle)));
    const live: Array<{ handle: string; record: StoredSession }> = [];
    const gone: string[] = [];
    handles.forEach((handle, index) => {
      const record = decodeSession(records[index]);
      if (record) live.push({ handle, record });
      else gone.push(handle);
    });
    // Records that expired by themselves leave their handle behind; it goes here.
    if (gone.length > 0) await this.redis.srem(this.userKey(userId), ...gone);
    return live;
  }

  endForUser(userId: string, handle: string): Promise<boolean> {
    return redisOperation(async () => {
      if (!(await this.redis.sismember(this.userKey(userId), handle))) return false;
      await this.endHandle(handle, userId);
      return true;
    });
  }
}

/**
 * The embedded store for development without Redis: the same keys, encoding, expiry, tombstones and
 * per-user lists, in this process's memory. Expired entries are dropped when read and swept once a
 * minute.
 */
export class MemorySessionRecords implements SessionRecords {
  private readonly records = new Map<string, { text: string; expiresAt: number }>();
  private readonly tombstones = new Map<string, number>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly tombstoneTtlMs: number,
    sweepIntervalMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  private readHandle(handle: string): StoredSession | undefined {
    const entry = this.records.get(handle);
    return entry && entry.expiresAt > Date.now() ? decodeSession(entry.text) : undefined;
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    return this.readHandle(hashSessionId(sessionId));
  }

  async write(sessionId: string, record: StoredSession, expiresAt: number): Promise<boolean> {
    const handle = hashSessionId(sessionId);
    const text = encodeSession(record);
    if (text === undefined || (this.tombstones.get(handle) ?? 0) > Date.now()) return false;
    this.records.set(handle, { text, expiresAt });
    if (record.user) {
      const handles = this.byUser.get(record.user.id) ?? new Set<string>();
      handles.add(handle);
      this.byUser.set(record.user.id, handles);
    }
    return true;
  }

  private endHandle(handle: string): void {
    const userId = this.readHandle(handle)?.user?.id;
    this.records.delete(handle);
    this.tombstones.set(handle, Date.now() + this.tombstoneTtlMs);
    if (userId) this.byUser.get(userId)?.delete(handle);
  }

  async end(sessionId: string): Promise<void> {
    this.endHandle(hashSessionId(sessionId));
  }

  async listForUser(userId: string): Promise<Array<{ handle: string; record: StoredSession }>> {
    const live: Array<{ handle: string; record: StoredSession }> = [];
    for (const handle of this.byUser.get(userId) ?? []) {
      const record = this.readHandle(handle);
      if (record) live.push({ handle, record });
      else this.byUser.get(userId)?.delete(handle);
    }
    return live;
  }

  async endForUser(userId: string, handle: string): Promise<boolean> {
    if (!this.byUser.get(userId)?.has(handle)) return false;
    this.endHandle(handle);
    return true;
  }

  /** How many records and tombstones are held (expired ones included until swept). */
  get size(): number {
    return this.records.size + this.tombstones.size;
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
    for (const [key, until] of this.tombstones) if (until <= now) this.tombstones.delete(key);
    for (const [userId, handles] of this.byUser) {
      for (const handle of handles) if (!this.records.has(handle)) handles.delete(handle);
      if (handles.size === 0) this.byUser.delete(userId);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
