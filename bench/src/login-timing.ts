import { performance } from 'node:perf_hooks';
import { median, percentile } from './measure.js';

export interface LoginTiming {
  viaBackend: { p50Ms: number; p99Ms: number };
  direct: { p50Ms: number; p99Ms: number };
  /** Median of the paired differences: what the backend adds to each login. */
  overheadP50Ms: number;
  logins: number;
}

const warmUpLogins = 20;

async function timed(request: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (!response.ok) throw new Error(`a login answered ${response.status}`);
  return elapsed;
}

/**
 * The backend's own share of a login, to a microsecond rather than autocannon's whole
 * milliseconds: one login at a time, through the backend and straight at FusionAuth in turn, so
 * that both meet the machine in the same state; each pair gives one difference.
 */
export async function timeLogins(
  viaBackend: () => Promise<Response>,
  direct: () => Promise<Response>,
  logins: number,
): Promise<LoginTiming> {
  const backendTimes: number[] = [];
  const directTimes: number[] = [];
  const differences: number[] = [];
  // Unmeasured first logins let both servers compile their hot paths.
  for (let index = 0; index < warmUpLogins; index += 1) {
    await timed(viaBackend);
    await timed(direct);
  }
  for (let index = 0; index < logins; index += 1) {
    const backend = await timed(viaBackend);
    const straight = await timed(direct);
    backendTimes.push(backend);
    directTimes.push(straight);
    differences.push(backend - straight);
  }
  const summary = (times: number[]) => ({ p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) });
  return {
    viaBackend: summary(backendTimes),
    direct: summary(directTimes),
    overheadP50Ms: median(differences),
    logins,
  };
}
