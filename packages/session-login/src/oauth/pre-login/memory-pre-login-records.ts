import { preLoginHandle, type PreLogin, type PreLoginRecords } from './pre-login-records.js';

/**
 * The embedded store's pre-login records, for development without Redis: the same handles and
 * single use, in this process's memory. Abandoned sign-ins are dropped as new ones are saved.
 */
export class MemoryPreLoginRecords implements PreLoginRecords {
  private readonly records = new Map<string, { record: PreLogin; expiresAt: number }>();

  async save(id: string, record: PreLogin, ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const [handle, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(handle);
    this.records.set(preLoginHandle(id), { record, expiresAt: now + ttlMs });
  }

  async claim(id: string): Promise<PreLogin | undefined> {
    const handle = preLoginHandle(id);
    const entry = this.records.get(handle);
    this.records.delete(handle);
    return entry && entry.expiresAt > Date.now() ? entry.record : undefined;
  }
}
