import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { applicationIdByName, clientSecretByName } from '@native-login/kickstart';
import { newSessionId, RedisSessionRecords, sessionRecordKey } from '@native-login/session-login';
import { Redis } from 'ioredis';
import { barChart } from './chart.js';
import { timeLogins } from './login-timing.js';
import { timeOAuthCallbacks } from './oauth-timing.js';
import { measure, measureServer, median, type Run } from './measure.js';
import { startServer, type Server } from './processes.js';
import { kickstartSummary, storeEnvironment } from './store-environment.js';
import { commandCalls, commandsPerRequest, deleteKeys, usedMemory } from './redis-stats.js';
import { loginBackends, markdownReport, ratioNames, scenarioNames, type BenchReport } from './report.js';

/**
 * `npm run bench`: the Store's guarded read against the floors under it (bare Fastify, then the
 * same Redis work, then the same session check, then the same headers) and an Express peer, in
 * throughput, latency and the server's CPU time per request; and the backend's own cost per login,
 * on one real Redis. `--smoke` runs a second or two per scenario.
 */
const smoke = process.argv.includes('--smoke');
// Many short rounds rather than a few long ones: on a shared machine a burst of other work lands on
// one scenario's run, and the median of nine per-round ratios shrugs off a few such rounds.
const settings = smoke
  ? { rounds: 1, warmUpSeconds: 1, seconds: 1, connections: 50, sessions: 2_000, logins: 30, smoke }
  : { rounds: 9, warmUpSeconds: 1, seconds: 3, connections: 50, sessions: 100_000, logins: 300, smoke };
const passwordIterations = 1_000;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomBytes(4).toString('hex')}:`;
// A browser's User-Agent, so that the session measured is the size a browser's would be.
const browserUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const redis = new Redis(redisUrl);
const servers: Server[] = [];
type Name = (typeof scenarioNames)[keyof typeof scenarioNames];
/** Headers every Node server writes itself, which floor (d) need not be told to send. */
const ownHeaders = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** The Store's session clocks, which floor (d) works out per request as the Store does. */
const sessionClocks = new Set(['x-session-expires-in', 'x-session-ends-in']);
const variesPerAnswer = new Set([...sessionClocks, 'date', 'keep-alive']);

const loginRequest = (url: string, loginId: string) => () =>
  fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', 'user-agent': browserUserAgent },
    body: JSON.stringify({ loginId, password: 'password123' }),
  });

async function login(url: string, loginId = 'shopper@example.com'): Promise<{ cookie: string; userId: string }> {
  const response = await loginRequest(url, loginId)();
  if (!response.ok) throw new Error(`login at ${url} answered ${response.status}`);
  const { user } = (await response.json()) as { user: { id: string } };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', userId: user.id };
}

try {
  const summary = await kickstartSummary();
  const storeApplicationId = applicationIdByName(summary, 'Store');
  const fusionAuth = await startServer('fusionauth-server', { BENCH_PASSWORD_ITERATIONS: String(passwordIterations) });
  servers.push(fusionAuth);
  const storeEnv = {
    ...storeEnvironment(summary, fusionAuth.url, prefix),
    REDIS_URL: redisUrl,
    LOGIN_ATTEMPTS_PER_IP: '1000000',
    LOGIN_STARTS_PER_IP: '1000000',
    // Hundreds of paired logins as one user: without this, every login past the 50th would also end
    // the oldest session and revoke its refresh token, and the figure would be that, not a sign-in.
    SESSIONS_PER_USER: '1000000',
    STORE_LOGIN_FLOWS: 'native,oauth',
  };
  const store = await startServer('store-server', storeEnv);
  servers.push(store);

  const shopper = await login(store.url);
  await fetch(`${store.url}/api/cart/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', cookie: shopper.cookie },
    body: JSON.stringify({ sku: 'tea-sencha', quantity: 2 }),
  });
  const storeAnswer = await fetch(`${store.url}/api/cart`, { headers: { cookie: shopper.cookie } });
  const cart = await storeAnswer.text();
  const signedCookie = decodeURIComponent(shopper.cookie.slice(shopper.cookie.indexOf('=') + 1));
  const sessionId = signedCookie.slice(0, signedCookie.lastIndexOf('.'));
  // The Store's own headers on this answer, for floor (d) to replay: all but those every Node
  // server writes itself, and the session's two clocks, which the floor works out per request.
  const replayedHeaders = Object.fromEntries(
    [...storeAnswer.headers].filter(([name]) => !ownHeaders.has(name) && !sessionClocks.has(name)),
  );
  const bare = await startServer('bare-fastify-server', { BENCH_CART: cart });
  const floorRedis = await startServer('floor-redis-server', {
    ...storeEnv,
    BENCH_SESSION_ID: sessionId,
    BENCH_USER_ID: shopper.userId,
  });
  const floorSession = await startServer('floor-session-server', storeEnv);
  const floor = await startServer('floor-server', {
    ...storeEnv,
    BENCH_RESPONSE_HEADERS: JSON.stringify(replayedHeaders),
  });
  const express = await startServer('express-server', {
    REDIS_URL: redisUrl,
    BENCH_PREFIX: prefix,
    BENCH_STORE_KEY_PREFIX: `${prefix}store:`,
    BENCH_USER_ID: shopper.userId,
  });
  servers.push(bare, floorRedis, floorSession, floor, express);
  const expressCookie = (await login(express.url)).cookie;

  const storeCookie = { cookie: shopper.cookie };
  const scenarios: Record<Name, { server: Server; url: string; headers: Record<string, string> }> = {
    [scenarioNames.store]: { server: store, url: `${store.url}/api/cart`, headers: storeCookie },
    [scenarioNames.bare]: { server: bare, url: `${bare.url}/api/cart`, headers: {} },
    [scenarioNames.redis]: { server: floorRedis, url: `${floorRedis.url}/api/cart`, headers: {} },
    [scenarioNames.session]: { server: floorSession, url: `${floorSession.url}/api/cart`, headers: storeCookie },
    [scenarioNames.floor]: { server: floor, url: `${floor.url}/api/cart`, headers: storeCookie },
    [scenarioNames.express]: { server: express, url: `${express.url}/api/cart`, headers: { cookie: expressCookie } },
  };
  const names = Object.values(scenarioNames);
  const rounds = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<Name, Run[]>;
  const headerBytes = {} as Record<Name, number>;
  for (const name of names) {
    const answer = await fetch(scenarios[name].url, { headers: scenarios[name].headers });
    if ((await answer.text()) !== cart) throw new Error(`${name} does not answer the same cart`);
    headerBytes[name] = [...answer.headers].reduce(
      (bytes, [header, value]) => bytes + header.length + value.length + 4,
      0,
    );
    if (name !== scenarioNames.floor) continue;
    // The floor's headers are the Store's, no more and no fewer, with the same values.
    for (const header of new Set([...storeAnswer.headers.keys(), ...answer.headers.keys()])) {
      const [theirs, ours] = [storeAnswer.headers.get(header), answer.headers.get(header)];
      if (theirs === null || ours === null || (!variesPerAnswer.has(header) && theirs !== ours)) {
        throw new Error(`${name} does not answer the Store's ${header} header`);
      }
    }
  }
  const commands: Record<string, Array<Record<string, number>>> = {
    'guarded read': [],
    'the floor (d)': [],
    'Express peer': [],
  };
  const counted: Partial<Record<Name, string>> = {
    [scenarioNames.store]: 'guarded read',
    [scenarioNames.floor]: 'the floor (d)',
    [scenarioNames.express]: 'Express peer',
  };

  for (let round = 0; round < settings.rounds; round += 1) {
    // The order turns every round, so that drift of the machine falls on every scenario alike.
    const order = names.map((_name, index) => names[(index + round) % names.length] as Name);
    for (const name of order) {
      const { server, ...target } = scenarios[name];
      const load = { ...target, connections: settings.connections };
      await measure({ ...load, seconds: settings.warmUpSeconds });
      const before = await commandCalls(redis);
      const result = await measureServer({ ...load, seconds: settings.seconds }, () => server.cpuMicros());
      const label = counted[name];
      if (label) commands[label]?.push(commandsPerRequest(before, await commandCalls(redis), result.requests));
      if (result.errors > 0) throw new Error(`${name}: ${result.errors} failed requests`);
      rounds[name].push(result);
    }
  }
  /** The Store's figure over another scenario's, round by round (both measured in the same round), and their median. */
  const ratio = (over: Name, figure: 'requestsPerSecond' | 'cpuMicrosPerRequest') => {
    const perRound = rounds[scenarioNames.store].map(
      (run, index) => run[figure] / (rounds[over][index]?.[figure] ?? Number.NaN),
    );
    return { perRound, median: median(perRound) };
  };

  const loginFloor = await startServer('login-floor-server', storeEnv);
  const loginFloorWithRedis = await startServer('login-floor-server', { ...storeEnv, BENCH_PREFIX: prefix });
  servers.push(loginFloor, loginFloorWithRedis);
  const loginTiming = await timeLogins(
    {
      [loginBackends.store]: loginRequest(store.url, 'storeonly@example.com'),
      [loginBackends.floor]: loginRequest(loginFloor.url, 'storeonly@example.com'),
      [loginBackends.floorWithRedis]: loginRequest(loginFloorWithRedis.url, 'storeonly@example.com'),
    },
    () =>
      fetch(`${fusionAuth.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: summary.apiKey ?? '' },
        // What the Store itself sends FusionAuth for this login, so that only the Store's own work differs.
        body: JSON.stringify({
          loginId: 'storeonly@example.com',
          password: 'password123',
          applicationId: storeApplicationId,
          ipAddress: '127.0.0.1',
          metaData: { device: { type: 'BROWSER', lastAccessedAddress: '127.0.0.1', description: browserUserAgent } },
        }),
      }),
    settings.logins,
  );

  const oauthCallback = await timeOAuthCallbacks(
    {
      storeUrl: store.url,
      fusionAuthUrl: fusionAuth.url,
      clientId: storeApplicationId,
      clientSecret: clientSecretByName(summary, 'Store'),
      redirectUri: 'http://localhost:3000/api/oauth/callback',
      loginId: 'storeonly@example.com',
    },
    settings.logins,
  );

  // Memory: one real session key, then many sessions written the way the Store writes them, each
  // for a user of its own (the per-user index then costs the most it can).
  const sessionKey = sessionRecordKey(`${prefix}store:`, sessionId);
  const bytesPerSessionKey = Number(await redis.memory('USAGE', sessionKey));
  const sessionValueBytes = Buffer.byteLength((await redis.get(sessionKey)) ?? '');
  const storeRecords = new RedisSessionRecords(redis, `${prefix}store:`, 43_200_000);
  const record = await storeRecords.read(sessionId);
  const user = record?.user;
  if (!user) throw new Error('the session key holds no signed-in session');
  const records = new RedisSessionRecords(redis, `${prefix}mass:`, 43_200_000);
  const memoryBefore = await usedMemory(redis);
  for (let written = 0; written < settings.sessions; written += 500) {
    await Promise.all(
      Array.from({ length: 500 }, () => {
        const userId = randomUUID();
        return records.start(newSessionId(userId), { ...record, user: { ...user, id: userId } });
      }),
    );
  }
  const memoryWithIndex = await usedMemory(redis);
  await deleteKeys(redis, `${prefix}mass:user-sessions:*`);
  const memoryRecordsOnly = await usedMemory(redis);

  const rssMiB = {
    Store: (await store.rss()) / 2 ** 20,
    'Express peer': (await express.rss()) / 2 ** 20,
    'the floor (d)': (await floor.rss()) / 2 ** 20,
    'bare Fastify': (await bare.rss()) / 2 ** 20,
  };
  const report: BenchReport = {
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Redis ${/redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?'}, all on one machine`,
    settings: { ...settings },
    scenarios: names.map((name) => ({
      name,
      requestsPerSecond: median(rounds[name].map((run) => run.requestsPerSecond)),
      p50Ms: median(rounds[name].map((run) => run.p50Ms)),
      p99Ms: median(rounds[name].map((run) => run.p99Ms)),
      cpuMicrosPerRequest: median(rounds[name].map((run) => run.cpuMicrosPerRequest)),
      responseHeaderBytes: headerBytes[name],
    })),
    rounds,
    replayedHeaders,
    ratios: {
      [ratioNames.floorThroughput]: ratio(scenarioNames.floor, 'requestsPerSecond'),
      [ratioNames.floorCpu]: ratio(scenarioNames.floor, 'cpuMicrosPerRequest'),
      [ratioNames.bareThroughput]: ratio(scenarioNames.bare, 'requestsPerSecond'),
      [ratioNames.expressThroughput]: ratio(scenarioNames.express, 'requestsPerSecond'),
      [ratioNames.expressCpu]: ratio(scenarioNames.express, 'cpuMicrosPerRequest'),
    },
    redisCommands: Object.fromEntries(
      Object.entries(commands).map(([name, perRound]) => {
        const keys = [...new Set(perRound.flatMap((calls) => Object.keys(calls)))];
        return [name, Object.fromEntries(keys.map((key) => [key, median(perRound.map((calls) => calls[key] ?? 0))]))];
      }),
    ),
    login: { ...loginTiming, passwordIterations },
    oauthCallback,
    memory: {
      bytesPerSessionKey,
      sessionValueBytes,
      sessions: settings.sessions,
      bytesForSessions: memoryRecordsOnly - memoryBefore,
      bytesForSessionsAndIndex: memoryWithIndex - memoryBefore,
    },
    rssMiB,
  };
  const markdown = markdownReport(report);
  process.stdout.write(`${markdown}\n`);

  const folder = fileURLToPath(new URL('../results/', import.meta.url));
  const stamp = `${new Date().toISOString().replaceAll(':', '-')}${smoke ? '-smoke' : ''}`;
  await mkdir(folder, { recursive: true });
  await writeFile(`${folder}${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${folder}${stamp}.md`, `${markdown}\n`);
  await writeFile(`${folder}${stamp}.svg`, barChart(report));
  process.stdout.write(`\nWritten to bench/results/${stamp}.{json,md,svg}\n`);
} finally {
  for (const server of servers) server.stop();
  await deleteKeys(redis, `${prefix}*`);
  redis.disconnect();
}
