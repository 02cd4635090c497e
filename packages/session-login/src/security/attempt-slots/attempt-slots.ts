/**
 * How many sign-in attempts may be in flight at once for one key (a login id, an IP). Failures are
 * counted once FusionAuth has answered, so without this a burst of parallel attempts would all pass
 * a limit that none of them had yet used up. Written here: the rate limiter counts requests, and
 * has no notion of requests in flight.
 */
export interface AttemptSlots {
  /** Takes a slot under every key, or none if any has `allowed` taken already; answers whether it did. */
  take(slots: ReadonlyArray<{ key: string; allowed: number }>): Promise<boolean>;
  give(keys: readonly string[]): Promise<void>;
}
