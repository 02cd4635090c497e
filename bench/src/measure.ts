import autocannon from 'autocannon';

export interface Load {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
}

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

/** A run against one server, with the CPU time the server's process spent on it per request served. */
export interface Run extends Measurement {
  cpuMicrosPerRequest: number;
}

/** One autocannon run; non-2xx answers count as errors, so a broken scenario cannot look fast. */
export async function measure(load: Load): Promise<Measurement> {
  const result = await autocannon({
    url: load.url,
    method: load.method ?? 'GET',
    headers: load.headers ?? {},
    ...(load.body !== undefined && { body: load.body }),
    connections: load.connections,
    duration: load.seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/**
 * One autocannon run, with the server's CPU time (user + system, all its threads) read before and
 * after it and divided by the requests served. The load generator and Redis are not counted.
 */
export async function measureServer(load: Load, cpuMicros: () => Promise<number>): Promise<Run> {
  const before = await cpuMicros();
  const result = await measure(load);
  const after = await cpuMicros();
  return { ...result, cpuMicrosPerRequest: (after - before) / Math.max(1, result.requests) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The value below which `rank` percent of the values lie (nearest rank). */
export function percentile(values: number[], rank: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1))] ?? 0;
}
