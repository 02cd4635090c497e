import type { AttemptSlotPair, AttemptSlots } from './attempt-slots.js';

/** The embedded store's slots, for development without Redis: counters in this process. */
export class MemoryAttemptSlots implements AttemptSlots {
  private readonly taken = new Map<string, number>();

  async take(slots: AttemptSlotPair): Promise<boolean> {
    if (slots.some(({ key, allowed }) => (this.taken.get(key) ?? 0) >= allowed)) return false;
    for (const { key } of slots) this.taken.set(key, (this.taken.get(key) ?? 0) + 1);
    return true;
  }

  async give(keys: readonly [account: string, ip: string]): Promise<void> {
    for (const key of keys) {
      const count = (this.taken.get(key) ?? 1) - 1;
      if (count <= 0) this.taken.delete(key);
      else this.taken.set(key, count);
    }
  }
}
