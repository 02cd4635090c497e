import type { LoginTiming } from './login-timing.js';
import type { OAuthCallbackTiming } from './oauth-timing.js';
import type { Measurement } from './measure.js';

export interface ScenarioSummary {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface BenchReport {
  machine: string;
  settings: { rounds: number; seconds: number; connections: number; sessions: number; smoke: boolean };
  scenarios: ScenarioSummary[];
  rounds: Record<string, Measurement[]>;
  /** Each ratio per round, and the median quoted. */
  ratios: Record<string, { perRound: number[]; median: number }>;
  /** Redis commands per request, by command, for the scenarios that use Redis. */
  redisCommands: Record<string, Record<string, number>>;
  login: LoginTiming & { passwordIterations: number };
  oauthCallback: OAuthCallbackTiming;
  memory: {
    bytesPerSessionKey: number;
    sessionValueBytes: number;
    sessions: number;
    bytesForSessions: number;
    bytesForSessionsAndIndex: number;
  };
  rssMiB: Record<string, number>;
}

/** The sign-ins timed side by side: the Store, and the floors under it. */
export const loginBackends = {
  store: 'the Store',
  floor: 'the floor (the same FusionAuth call from bare Fastify)',
  floorWithRedis: 'the floor + the 2 Redis round trips a sign-in needs',
} as const;

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const commandList = (commands: Record<string, number> | undefined) =>
  Object.entries(commands ?? {})
    .map(([command, perRequest]) => `${fixed(perRequest)} ${command.toUpperCase()}`)
    .join(' + ');
const total = (commands: Record<string, number> | undefined) =>
  Object.values(commands ?? {}).reduce((sum, value) => sum + value, 0);

/** The report as markdown: throughput and latency per scenario, then the targets' measures. */
export function markdownReport(report: BenchReport): string {
  const { login, memory, oauthCallback } = report;
  const perSession = (bytes: number) => Math.round(bytes / memory.sessions);
  return [
    '| scenario | req/s (median) | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    ...report.scenarios.map(
      (scenario) =>
        `| ${scenario.name} | ${Math.round(scenario.requestsPerSecond)} | ${scenario.p50Ms} | ${scenario.p99Ms} |`,
    ),
    ...Object.entries(login.viaBackend).map(
      ([name, timing]) =>
        `| Login through ${name}, one at a time | – | ${fixed(timing.p50Ms)} | ${fixed(timing.p99Ms)} |`,
    ),
    `| Login at FusionAuth (stand-in, ${login.passwordIterations} PBKDF2 iterations) | – | ${fixed(login.direct.p50Ms)} | ${fixed(login.direct.p99Ms)} |`,
    `| OAuth callback at the Store (code exchange, token checks, session), one at a time | – | ${fixed(oauthCallback.callback.p50Ms)} | ${fixed(oauthCallback.callback.p99Ms)} |`,
    `| Code exchange at FusionAuth's token endpoint (stand-in) | – | ${fixed(oauthCallback.tokenEndpoint.p50Ms)} | ${fixed(oauthCallback.tokenEndpoint.p99Ms)} |`,
    '',
    '| measure | value | target |',
    '| --- | ---: | ---: |',
    ...Object.entries(report.ratios).map(
      ([name, ratio]) =>
        `| ${name} throughput (median of rounds) | ${fixed(ratio.median)}× | ${ratioTargets[name] ?? '–'} |`,
    ),
    ...Object.entries(report.redisCommands).map(
      ([name, commands]) =>
        `| Redis commands per request, ${name} | ${fixed(total(commands))} (${commandList(commands)}) | ${name === 'guarded read' ? '1 round trip' : '–'} |`,
    ),
    ...Object.entries(login.viaBackend).map(
      ([name, timing]) =>
        `| added to a login by ${name}, p50 of ${login.logins} paired logins | ${fixed(timing.overheadP50Ms, 3)} ms | ${name === loginBackends.store ? '< 2 ms' : '–'} |`,
    ),
    `| added to an OAuth sign-in by the Store's callback, p50 / p99 of ${oauthCallback.signIns} paired sign-ins | ${fixed(oauthCallback.ownShare.p50Ms, 3)} / ${fixed(oauthCallback.ownShare.p99Ms, 3)} ms | – |`,
    `| Redis memory per session key (MEMORY USAGE; value ${memory.sessionValueBytes} bytes) | ${memory.bytesPerSessionKey} bytes | ≤ 400 bytes |`,
    `| Redis memory for ${memory.sessions.toLocaleString('en')} sessions: records / with the per-user index | ${fixed(memory.bytesForSessions / 2 ** 20, 1)} / ${fixed(memory.bytesForSessionsAndIndex / 2 ** 20, 1)} MiB (${perSession(memory.bytesForSessions)} / ${perSession(memory.bytesForSessionsAndIndex)} bytes each) | – |`,
    `| RSS after the run | ${Object.entries(report.rssMiB)
      .map(([name, mib]) => `${name} ${Math.round(mib)} MiB`)
      .join(', ')} | – |`,
    '',
    `${report.machine}; ${report.settings.rounds} rounds of ${report.settings.seconds} s, ${report.settings.connections} connections${report.settings.smoke ? ' (smoke run: numbers are indicative only)' : ''}.`,
  ].join('\n');
}

const ratioTargets: Record<string, string> = {
  'guarded / bare Fastify': '≥ 0.6×',
  'guarded / Express peer': '≥ 2×',
};
