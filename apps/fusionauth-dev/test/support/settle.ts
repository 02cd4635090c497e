/** The part of the client's ClientResponse a contract reads (the class is not exported by name). */
interface ClientResult<T> {
  statusCode: number;
  response: T;
  exception?: unknown;
}

/**
 * How a client call ended. The typescript client resolves every 2xx (202, 203, 212, 213 and 242
 * included) and rejects everything else with a ClientResponse, so the contract pins both the
 * status and which way the promise went.
 */
export interface Settled<T> {
  resolved: boolean;
  statusCode: number | undefined;
  response: T | undefined;
  exception: unknown;
}

export async function settle<T>(call: Promise<ClientResult<T>>): Promise<Settled<T>> {
  try {
    const result = await call;
    return { resolved: true, statusCode: result.statusCode, response: result.response, exception: undefined };
  } catch (error) {
    const failure = error as Partial<ClientResult<T>>;
    return {
      resolved: false,
      statusCode: failure.statusCode,
      response: failure.response,
      exception: failure.exception,
    };
  }
}
