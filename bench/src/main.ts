import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  applicationIdByName,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
} from '@native-login/kickstart';
import { hashSessionId, RedisSessionRecords } from '@native-login/session-login';
import { Redis } from 'ioredis';
import { measure, median, type Measurement } from './measure.js';
import { startServer, type Server } from './processes.js';

/**
 * `npm run bench`: the Store's guarded read against bare Fastify and an Express peer, and the
 * backend's own cost per login, on one real Redis. `--smoke` runs a second or two per scenario.
 */
const smoke = process.argv.includes('--smoke');
const settings = smoke
  ? { rounds: 1, warmUpSeconds: 1, seconds: 1, connections: 20, sessions: 2_000 }
  : { rounds: 3, warmUpSeconds: 2, seconds: 5, connections: 50, sessions: 100_000 };
const passwordIterations = 1_000;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomBytes(4).toString('hex')}:`;
const redis = new Redis(redisUrl);
const servers: Server[] = [];

async function commandCalls(): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((total, match) => total + Number(match[1]), 0);
}

async function deleteKeys(pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function login(url: string, loginId = 'shopper@example.com'): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ loginId, password: 'password123' }),
  });
  if (!response.ok) throw new Error(`login at ${url} answered ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

try {
  const summary = summarizeKickstart(
    substituteKickstart(await readKickstartFile(), { env: {}, fusionAuthTenantId: '' }),
  );
  const fusionAuth = await startServer('fusionauth-server', { BENCH_PASSWORD_ITERATIONS: String(passwordIterations) });
  servers.push(fusionAuth);
  const store = await startServer('store-server', {
    FUSIONAUTH_URL: fusionAuth.url,
    FUSIONAUTH_API_KEY: summary.apiKey ?? '',
    FUSIONAUTH_TENANT_ID: summary.tenantId ?? '',
    STORE_APPLICATION_ID: applicationIdByName(summary, 'Store'),
    STORE_SESSION_SECRET: randomBytes(32).toString('base64url'),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    LOGIN_ATTEMPTS_PER_IP: '1000000',
  });
  servers.push(store);

  const storeCookie = await login(store.url);
  await fetch(`${store.url}/api/cart/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', cookie: storeCookie },
    body: JSON.stringify({ sku: 'tea-sencha', quantity: 2 }),
  });
  const cart = await (await fetch(`${store.url}/api/cart`, { headers: { cookie: storeCookie } })).text();
  const bare = await startServer('bare-fastify-server', { BENCH_CART: cart });
  const express = await startServer('express-server', { BENCH_CART: cart, REDIS_URL: redisUrl, BENCH_PREFIX: prefix });
  servers.push(bare, express);
  const expressCookie = await login(express.url);

  const scenarios = {
    'Guarded read (Store)': { url: `${store.url}/api/cart`, headers: { cookie: storeCookie } },
    'Bare Fastify': { url: `${bare.url}/api/cart` },
    'Express peer': { url: `${express.url}/api/cart`, headers: { cookie: expressCookie } },
  };
  type Name = keyof typeof scenarios;
  const names = Object.keys(scenarios) as Name[];
  const results: Record<Name, Measurement[]> = { 'Guarded read (Store)': [], 'Bare Fastify': [], 'Express peer': [] };
  const ratios = { 'guarded / bare': [] as number[], 'guarded / express': [] as number[] };
  const commandsPerGuardedRequest: number[] = [];

  for (let round = 0; round < settings.rounds; round += 1) {
    // The order turns every round, so that drift of the machine falls on every scenario alike.
    const order = names.map((_name, index) => names[(index + round) % names.length] as Name);
    const perRound: Partial<Record<Name, Measurement>> = {};
    for (const name of order) {
      const load = { ...scenarios[name], connections: settings.connections };
      await measure({ ...load, seconds: settings.warmUpSeconds });
      const before = name === 'Guarded read (Store)' ? await commandCalls() : 0;
      const result = await measure({ ...load, seconds: settings.seconds });
      if (name === 'Guarded read (Store)') {
        // INFO itself is one command; the rest is the Store's.
        commandsPerGuardedRequest.push(((await commandCalls()) - before - 1) / result.requests);
      }
      if (result.errors > 0) throw new Error(`${name}: ${result.errors} failed requests`);
      results[name].push(result);
      perRound[name] = result;
    }
    const guarded = perRound['Guarded read (Store)']?.requestsPerSecond ?? 0;
    ratios['guarded / bare'].push(guarded / (perRound['Bare Fastify']?.requestsPerSecond ?? 1));
    ratios['guarded / express'].push(guarded / (perRound['Express peer']?.requestsPerSecond ?? 1));
  }

  // Login: the Store's answer time against FusionAuth's own for the same login.
  const loginLoad = { method: 'POST' as const, connections: 1, seconds: settings.seconds };
  const body = JSON.stringify({ loginId: 'storeonly@example.com', password: 'password123' });
  const viaStore = await measure({
    ...loginLoad,
    url: `${store.url}/api/login`,
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body,
  });
  const direct = await measure({
    ...loginLoad,
    url: `${fusionAuth.url}/api/login`,
    headers: { 'content-type': 'application/json', authorization: summary.apiKey ?? '' },
    body: JSON.stringify({
      loginId: 'storeonly@example.com',
      password: 'password123',
      applicationId: applicationIdByName(summary, 'Store'),
    }),
  });

  // Memory: one real session key, then many sessions written the way the Store writes them.
  const sessionId = decodeURIComponent(storeCookie.split('=')[1] ?? '').split('.')[0] ?? '';
  const sessionKey = `${prefix}store:session:${hashSessionId(sessionId)}`;
  const bytesPerSession = Number(await redis.memory('USAGE', sessionKey));
  const record = JSON.parse((await redis.get(sessionKey)) ?? '{}') as Record<string, unknown>;
  const records = new RedisSessionRecords(redis, `${prefix}mass:`, 43_200_000);
  const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  for (let written = 0; written < settings.sessions; written += 500) {
    await Promise.all(
      Array.from({ length: 500 }, () =>
        records.write(randomBytes(24).toString('base64url'), record, Date.now() + 600_000),
      ),
    );
  }
  const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

  const rss = { store: await store.rss(), express: await express.rss(), bare: await bare.rss() };
  const table = [
    '| scenario | req/s (median) | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    ...names.map((name) => {
      const runs = results[name];
      return `| ${name} | ${Math.round(median(runs.map((run) => run.requestsPerSecond)))} | ${median(runs.map((run) => run.p50Ms))} | ${median(runs.map((run) => run.p99Ms))} |`;
    }),
    `| Login via the Store | ${Math.round(viaStore.requestsPerSecond)} | ${viaStore.p50Ms} | ${viaStore.p99Ms} |`,
    `| Login at FusionAuth (stand-in, ${passwordIterations} PBKDF2 iterations) | ${Math.round(direct.requestsPerSecond)} | ${direct.p50Ms} | ${direct.p99Ms} |`,
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| guarded / bare Fastify throughput (median of rounds) | ${median(ratios['guarded / bare']).toFixed(2)}× |`,
    `| guarded / Express peer throughput (median of rounds) | ${median(ratios['guarded / express']).toFixed(2)}× |`,
    `| Redis commands per guarded request | ${median(commandsPerGuardedRequest).toFixed(2)} |`,
    `| backend overhead per login, p50 | ${(viaStore.p50Ms - direct.p50Ms).toFixed(2)} ms |`,
    `| Redis memory per session (MEMORY USAGE) | ${bytesPerSession} bytes |`,
    `| Redis memory for ${settings.sessions.toLocaleString('en')} sessions | ${((memoryAfter - memoryBefore) / 1024 / 1024).toFixed(1)} MiB |`,
    `| RSS: Store / Express peer / bare Fastify | ${(rss.store / 2 ** 20).toFixed(0)} / ${(rss.express / 2 ** 20).toFixed(0)} / ${(rss.bare / 2 ** 20).toFixed(0)} MiB |`,
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections${smoke ? ' (smoke run: numbers are indicative only)' : ''}.`,
  ].join('\n');
  process.stdout.write(`${table}\n`);

  const folder = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(folder, { recursive: true });
  await writeFile(
    `${folder}${new Date().toISOString().replaceAll(':', '-')}${smoke ? '-smoke' : ''}.json`,
    `${JSON.stringify({ settings, results, ratios, commandsPerGuardedRequest, login: { viaStore, direct, passwordIterations }, bytesPerSession, sessionsMemory: { sessions: settings.sessions, bytes: memoryAfter - memoryBefore }, rss }, null, 2)}\n`,
  );
} finally {
  for (const server of servers) server.stop();
  await deleteKeys(`${prefix}*`);
  redis.disconnect();
}
