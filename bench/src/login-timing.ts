import { performance } from 'node:perf_hooks';
import { median, percentile } from './measure.js';

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export interface LoginTiming {
  /** Per backend: its latency, and the median of its paired differences with the direct login. */
  viaBackend: Record<string, Latency & { overheadP50Ms: number }>;
  direct: Latency;
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

const latency = (times: number[]): Latency => ({ p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) });

/**
 * Each backend's own share of a login, to a microsecond rather than autocannon's whole
 * milliseconds: one login at a time, each through a backend and then straight at FusionAuth, so
 * that both meet the machine in the same state; each pair gives one difference. The backends take
 * turns going first.
 */
export async function timeLogins(
  backends: Record<string, () => Promise<Response>>,
  direct: () => Promise<Response>,
  logins: number,
): Promise<LoginTiming> {
  const entries = Object.entries(backends);
  const times = new Map(entries.map(([name]) => [name, [] as number[]]));
  const differences = new Map(entries.map(([name]) => [name, [] as number[]]));
  const directTimes: number[] = [];
  for (let index = 0; index < warmUpLogins + logins; index += 1) {
    const first = index % entries.length;
    for (const [name, request] of [...entries.slice(first), ...entries.slice(0, first)]) {
      const viaBackend = await timed(request);
      const straight = await timed(direct);
      // Unmeasured first logins let every server compile its hot paths.
      if (index < warmUpLogins) continue;
      times.get(name)?.push(viaBackend);
      differences.get(name)?.push(viaBackend - straight);
      directTimes.push(straight);
    }
  }
  return {
    viaBackend: Object.fromEntries(
      entries.map(([name]) => [
        name,
        { ...latency(times.get(name) ?? []), overheadP50Ms: median(differences.get(name) ?? []) },
      ]),
    ),
    direct: latency(directTimes),
    logins,
  };
}
