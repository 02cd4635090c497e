/** `insertInstant` and `lastUpdateInstant` as FusionAuth keeps them on every object it stores. */
export function stamped<T extends object>(
  record: T,
  existing: { insertInstant?: number | undefined } | undefined,
): T & { insertInstant: number; lastUpdateInstant: number } {
  const now = Date.now();
  return { ...record, insertInstant: existing?.insertInstant ?? now, lastUpdateInstant: now };
}
