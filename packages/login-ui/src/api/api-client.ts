import type { ErrorBody } from '@native-login/session-login/schemas';

/** An answer of the backend that is not a success, or no answer at all (`status` 0, `network_error`). */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /**
   * Whether a 401 means "the session ended, sign in again and carry on": true for the app's own
   * calls, false for the sign-in calls themselves.
   */
  resumeAfterSignIn?: boolean;
}

export interface ApiClientOptions {
  /**
   * Called when a call finds the session gone (401). It shows the sign-in form and resolves once
   * the user has signed in again, so the call can be retried: the user continues where they were.
   */
  onSessionLost: () => Promise<void>;
  /**
   * Every signed-in answer's deadlines, in milliseconds from now: `X-Session-Expires-In` (the
   * session ends without activity) and `X-Session-Ends-In` (it ends however active the user is),
   * so the SPA can warn before either.
   */
  onSessionExpiry?: (left: { idle: number; absolute: number }) => void;
}

export interface ApiClient {
  request<T>(method: Method, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
}

const stateChanging = new Set<Method>(['POST', 'PATCH', 'PUT', 'DELETE']);
const requestTimeoutMs = 15_000;

async function errorOf(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `The server answered ${response.status}.`;
  try {
    // The API's ErrorBody, checked field by field: something else (a proxy) may have answered.
    const body = (await response.json()) as Partial<Record<keyof ErrorBody, unknown>>;
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not our JSON (a proxy's error page, say): the status code is all there is.
  }
  return new ApiError(response.status, code, message);
}

/**
 * The one place the SPA talks to its backend: JSON in and out, `X-CSRF: 1` on every state-changing
 * call, the cookie sent along (same origin), and every failure turned into an ApiError. A 401 on
 * an app call waits for the user to sign in again, then retries that call once.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  async function send(method: Method, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (stateChanging.has(method)) headers['x-csrf'] = '1';
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        // A backend that never answers must not leave a spinner turning forever.
        signal: AbortSignal.timeout(requestTimeoutMs),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and try again.');
    }
  }

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    requestOptions: RequestOptions = {},
  ): Promise<T> {
    const resume = requestOptions.resumeAfterSignIn ?? true;
    let response = await send(method, path, body);
    if (response.status === 401 && resume) {
      await options.onSessionLost();
      response = await send(method, path, body);
    }
    const idle = Number(response.headers.get('x-session-expires-in') ?? Number.NaN);
    const absolute = Number(response.headers.get('x-session-ends-in') ?? Number.NaN);
    if (Number.isFinite(idle) && Number.isFinite(absolute)) options.onSessionExpiry?.({ idle, absolute });
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return { request };
}
