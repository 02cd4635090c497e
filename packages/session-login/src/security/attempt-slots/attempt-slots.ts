/** A slot under one key (a login id's, a client IP's), and how many may be taken under it at once. */
export interface AttemptSlot {
  key: string;
  allowed: number;
}

/** An attempt's slots: the login id's and the client IP's, always both. */
export type AttemptSlotPair = readonly [account: AttemptSlot, ip: AttemptSlot];

/**
 * How many sign-in attempts may be in flight at once for one key (a login id, an IP). Failures are
 * counted once FusionAuth has answered, so without this a burst of parallel attempts would all pass
 * a limit that none of them had yet used up. Written here: the rate limiter counts requests, and
 * has no notion of requests in flight.
 */
export interface AttemptSlots {
  /** Takes a slot under both keys, or none if either has `allowed` taken already; answers whether it did. */
  take(slots: AttemptSlotPair): Promise<boolean>;
  give(keys: readonly [account: string, ip: string]): Promise<void>;
}
