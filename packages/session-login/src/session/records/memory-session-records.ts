import { decodeSession, encodeSession } from '../session-codec.js';
import type { StoredSession } from '../session-data.js';
import {
  hashSessionId,
  timeToLive,
  type ReplacedSession,
  type SessionEntry,
  type SessionRecords,
} from './session-records.js';

/**
 * The embedded store for development without Redis: the same keys, encoding, expiry and per-user
 * lists as RedisSessionRecords, in this process's memory. Expired records are dropped when read
 * and swept once a minute.
 */
export class MemorySessionRecords implements SessionRecords {
  private readonly records = new Map<string, { text: string; expiresAt: number }>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  private readHandle(handle: string): StoredSession | undefined {
    const entry = this.records.get(handle);
    return entry && entry.expiresAt > Date.now() ? decodeSession(entry.text) : undefined;
  }

  private store(handle: string, record: StoredSession): boolean {
    const text = encodeSession(record);
    const ttl = timeToLive(record);
    if (text === undefined || ttl === undefined) return false;
    this.records.set(handle, { text, expiresAt: Date.now() + ttl });
    return true;
  }

  async read(sessionId: string): Promise<StoredSession | undefined> {
    return this.readHandle(hashSessionId(sessionId));
  }

  async start(sessionId: string, record: StoredSession, replaced?: ReplacedSession): Promise<number> {
    if (replaced) {
      const replacedHandle = hashSessionId(replaced.sessionId);
      this.records.delete(replacedHandle);
      if (replaced.userId) this.byUser.get(replaced.userId)?.delete(replacedHandle);
    }
    const handle = hashSessionId(sessionId);
    if (!this.store(handle, record) || !record.user) return 0;
    const handles = this.byUser.get(record.user.id) ?? new Set<string>();
    handles.add(handle);
    this.byUser.set(record.user.id, handles);
    return handles.size;
  }

  async update(sessionId: string, record: StoredSession): Promise<boolean> {
    const handle = hashSessionId(sessionId);
    return this.readHandle(handle) !== undefined && this.store(handle, record);
  }

  async end(sessionId: string): Promise<void> {
    this.records.delete(hashSessionId(sessionId));
  }

  async listForUser(userId: string): Promise<SessionEntry[]> {
    const live: SessionEntry[] = [];
    for (const handle of this.byUser.get(userId) ?? []) {
      const record = this.readHandle(handle);
      if (record) live.push({ handle, record });
      else this.byUser.get(userId)?.delete(handle);
    }
    return live;
  }

  async endForUser(userId: string, handle: string): Promise<boolean> {
    if (!this.byUser.get(userId)?.delete(handle)) return false;
    this.records.delete(handle);
    return true;
  }

  /** How many records are held (expired ones included until swept). */
  get size(): number {
    return this.records.size;
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
    for (const [userId, handles] of this.byUser) {
      for (const handle of handles) if (!this.records.has(handle)) handles.delete(handle);
      if (handles.size === 0) this.byUser.delete(userId);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
