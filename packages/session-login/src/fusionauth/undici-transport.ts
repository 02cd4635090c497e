import type {
  ErrorResponseHandler,
  FusionAuthClient,
  IRESTClient,
  ResponseHandler,
} from '@fusionauth/typescript-client';
import { createRequire } from 'node:module';
import { Agent, type Dispatcher, interceptors } from 'undici';

type ClientResponse<T> = Awaited<ReturnType<IRESTClient<T, unknown>['go']>>;
type RESTClientBuilder = FusionAuthClient['clientBuilder'];

/** What the transport reads of the request the client has built up. */
interface RequestBuilder<RT, ERT> extends IRESTClient<RT, ERT> {
  host: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  /** JSON text, or form data (the client's `withFormData`). */
  body: string | URLSearchParams | undefined | null;
  responseHandler: ResponseHandler<RT>;
  errorResponseHandler: ErrorResponseHandler<ERT>;
  getFullUrl(): string;
}

// The package's index exports only the types of its transport and response classes; the classes
// are the CommonJS default exports of their own modules.
const require = createRequire(import.meta.url);
const { default: DefaultRESTClient } = require('@fusionauth/typescript-client/build/src/DefaultRESTClient.js') as {
  default: new <RT, ERT>(host: string) => RequestBuilder<RT, ERT>;
};
const { default: ClientResponse } = require('@fusionauth/typescript-client/build/src/ClientResponse.js') as {
  default: new <T>() => ClientResponse<T>;
};

/** The call did not finish within the transport's deadline, and was cancelled. */
export class FusionAuthTimeout extends Error {
  override name = 'FusionAuthTimeout';
}

/**
 * What the client's response handlers read of a response: its status, one header and the body as
 * JSON or text (node-fetch's Response carries far more; this is all they use). Each handler reads
 * the body once, as node-fetch's Response allows.
 */
interface HandledResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

function handledResponse(statusCode: number, headers: Record<string, unknown>, body: BodyReader): HandledResponse {
  return {
    status: statusCode,
    ok: statusCode >= 200 && statusCode < 300,
    headers: {
      get: (name: string) => {
        const value = headers[name.toLowerCase()];
        if (typeof value === 'string') return value || null;
        return Array.isArray(value) ? value.join(', ') : null;
      },
    },
    json: () => body.json(),
    text: () => body.text(),
  };
}

interface BodyReader {
  json(): Promise<unknown>;
  text(): Promise<string>;
  dump(): Promise<void>;
  bodyUsed: boolean;
}

/** One finished call to FusionAuth: which, how it ended (`2xx`, `4xx`, `timeout`…) and how long it took. */
export interface FusionAuthCall {
  operation: string;
  outcome: string;
  seconds: number;
}

/**
 * The call's method and path with its ids taken out (`DELETE /api/jwt/refresh/:id`): a metric
 * label must name an operation, not one series per token or user.
 */
function operationOf(method: string, path: string): string {
  const pattern = path
    .split('?')[0]
    ?.split('/')
    // FusionAuth's own path words are short (`forgot-password`); ids (a `changePasswordId`) are not.
    .map((segment) => (/^[0-9a-f-]{32,36}$/i.test(segment) || segment.length > 20 ? ':id' : segment))
    .join('/');
  return `${method} ${pattern ?? path}`;
}

class UndiciRESTClient<RT, ERT> extends DefaultRESTClient<RT, ERT> {
  constructor(
    host: string,
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number,
    private readonly observe: ((call: FusionAuthCall) => void) | undefined,
  ) {
    super(host);
  }

  override async go() {
    const started = performance.now();
    let outcome = 'error';
    try {
      return await this.send((ended) => (outcome = ended));
    } finally {
      if (this.observe) {
        const url = new URL(this.getFullUrl());
        this.observe({
          operation: operationOf(this.method ?? 'GET', url.pathname),
          outcome,
          seconds: (performance.now() - started) / 1000,
        });
      }
    }
  }

  private async send(ended: (outcome: string) => void) {
    let statusCode: number | undefined;
    try {
      // The host may carry a path of its own (FusionAuth behind a proxy prefix): the URL puts it in the path.
      const url = new URL(this.getFullUrl());
      const answer = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: this.method,
        // Uncompressed answers, asked for outright: decompressing is all node-fetch's Accept-Encoding bought.
        headers: { ...this.headers, 'accept-encoding': 'identity' },
        body: this.body === undefined || this.body === null ? undefined : String(this.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = answer.statusCode;
      ended(`${Math.floor(answer.statusCode / 100)}xx`);
      const response = handledResponse(answer.statusCode, answer.headers, answer.body);
      try {
        if (answer.statusCode >= 200 && answer.statusCode < 300) return await this.responseHandler(response);
        // The client's contract: a failed call rejects with its ClientResponse, which is not an Error.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw await this.errorResponseHandler(response);
      } finally {
        // A body no handler read is drained, so that the connection goes back to the pool.
        if (!answer.body.bodyUsed) await answer.body.dump().catch(() => undefined);
      }
    } catch (error) {
      // As the client's own transport does: a ClientResponse passes, anything else becomes one.
      if (error instanceof ClientResponse) throw error;
      const failure = new ClientResponse<RT>();
      if (statusCode !== undefined) failure.statusCode = statusCode;
      if (statusCode === undefined) ended(isTimeout(error) ? 'timeout' : 'error');
      failure.exception = isTimeout(error)
        ? new FusionAuthTimeout(`no answer within ${this.timeoutMs} ms`)
        : asError(error);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a ClientResponse, as above
      throw failure;
    }
  }
}

/** The deadline's signal fired, whether waiting for the answer or reading its body. */
function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Sends the typescript client's requests through undici instead of node-fetch: the same requests,
 * status handling (every 2xx resolves, anything else rejects with a ClientResponse) and handlers,
 * for less CPU and latency per call, which every sign-in waits for (the benchmark measures it). Each
 * call is cancelled at the deadline rather than abandoned, so a hanging FusionAuth holds no
 * connection past it.
 */
export class UndiciTransport implements RESTClientBuilder {
  // Redirects followed as node-fetch follows them (at most 20; credentials dropped across origins).
  private readonly dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 20 }));

  constructor(
    private readonly timeoutMs: number,
    /** Told of every call once it has ended (the metrics). */
    private readonly observe?: (call: FusionAuthCall) => void,
  ) {}

  build<RT, ERT>(host: string): IRESTClient<RT, ERT> {
    return new UndiciRESTClient<RT, ERT>(host, this.dispatcher, this.timeoutMs, this.observe);
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
