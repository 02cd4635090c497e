import type { LoginTiming } from './login-timing.js';
import type { OAuthCallbackTiming } from './oauth-timing.js';
import type { Run } from './measure.js';

export interface ScenarioSummary {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The server process's CPU time (user + system) per request served, in microseconds. */
  cpuMicrosPerRequest: number;
  /** The answer's header lines (`name: value`), in bytes. */
  responseHeaderBytes: number;
}

/**
 * The scenarios, loaded in turn in each round. Floors (a) to (d) each add one step of the Store's
 * guarded read to the one before; (d) does all of the Store's own work on a guarded read (its
 * Redis round trips, cookie check, hashing, decoding, answer and headers) with nothing around it.
 */
export const scenarioNames = {
  store: 'Guarded read (Store)',
  bare: 'Floor (a): bare Fastify, same JSON',
  redis: 'Floor (b): (a) + session GET + cart HGETALL',
  session: 'Floor (c): (b) + HMAC, SHA-256, decode',
  floor: "Floor (d): (c) + the Store's headers",
  express: 'Express peer',
} as const;

/** The Store's figures over another scenario's, each the median of the rounds' ratios. */
export const ratioNames = {
  floorThroughput: 'Store / the floor (d), throughput',
  floorCpu: 'Store / the floor (d), CPU per request',
  bareThroughput: 'Store / bare Fastify (a), throughput',
  expressThroughput: 'Store / Express peer, throughput',
  expressCpu: 'Store / Express peer, CPU per request',
} as const;

export interface BenchReport {
  machine: string;
  settings: { rounds: number; seconds: number; connections: number; sessions: number; smoke: boolean };
  scenarios: ScenarioSummary[];
  rounds: Record<string, Run[]>;
  /** The Store's headers on a guarded read that floor (d) replays (its session clocks it works out itself). */
  replayedHeaders: Record<string, string>;
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
    '| scenario | req/s (median) | p50 ms | p99 ms | server CPU µs/req |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...report.scenarios.map(
      (scenario) =>
        `| ${scenario.name} | ${Math.round(scenario.requestsPerSecond)} | ${scenario.p50Ms} | ${scenario.p99Ms} | ${Math.round(scenario.cpuMicrosPerRequest)} |`,
    ),
    ...Object.entries(login.viaBackend).map(
      ([name, timing]) =>
        `| Login through ${name}, one at a time | – | ${fixed(timing.p50Ms)} | ${fixed(timing.p99Ms)} | – |`,
    ),
    `| Login at FusionAuth (stand-in, ${login.passwordIterations} PBKDF2 iterations) | – | ${fixed(login.direct.p50Ms)} | ${fixed(login.direct.p99Ms)} | – |`,
    `| OAuth callback at the Store (code exchange, token checks, session), one at a time | – | ${fixed(oauthCallback.callback.p50Ms)} | ${fixed(oauthCallback.callback.p99Ms)} | – |`,
    `| Code exchange at FusionAuth's token endpoint (stand-in) | – | ${fixed(oauthCallback.tokenEndpoint.p50Ms)} | ${fixed(oauthCallback.tokenEndpoint.p99Ms)} | – |`,
    '',
    '| measure | value | target |',
    '| --- | ---: | ---: |',
    ...Object.entries(report.ratios).map(
      ([name, ratio]) =>
        `| ${name} (median of ${ratio.perRound.length} per-round ratios; their range) | ${fixed(ratio.median)}× (${range(ratio.perRound)}) | ${ratioTargets[name] ?? '–'} |`,
    ),
    `| Response headers (\`name: value\` lines) | ${report.scenarios
      .filter((scenario) => scenario.name !== scenarioNames.redis && scenario.name !== scenarioNames.session)
      .map((scenario) => `${shortName(scenario.name)} ${scenario.responseHeaderBytes} bytes`)
      .join(', ')} | – |`,
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
  [ratioNames.bareThroughput]: '≥ 0.6×',
  [ratioNames.expressThroughput]: '≥ 2×',
};

const range = (values: number[]) =>
  values.length === 0 ? '–' : `${fixed(Math.min(...values))}–${fixed(Math.max(...values))}×`;

/** A scenario's name up to its colon or bracket: `Floor (d)`, `Guarded read`. */
const shortName = (name: string) => /^(Floor \([a-d]\)|[^:(]+)/.exec(name)?.[1]?.trim() ?? name;
