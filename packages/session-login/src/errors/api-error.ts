import type { ErrorBody } from '../schemas/errors.js';

/**
 * An answer to send instead of the normal one; the error handler turns it into `{ code, message }`.
 * The message is written for the person in front of the SPA, which shows it as it is: every
 * answer's words are defined here, on the server, once.
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Seconds after which the client may try again (503, 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get body(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** When to try again, in words a person reads: "Try again in 5 seconds." */
export function retryHint(seconds: number): string {
  if (seconds < 90) return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/** The session store (Redis) did not answer in time or at all: fail closed, never 401. */
export class SessionStoreUnavailableError extends ApiError {
  override name = 'SessionStoreUnavailableError';

  constructor(options?: { cause?: unknown }) {
    super(503, 'session_store_unavailable', `Sessions are unavailable right now. ${retryHint(5)}`, 5);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export const unauthenticated = (): ApiError => new ApiError(401, 'unauthenticated', 'Please sign in.');
