import { randomBytes } from 'node:crypto';
import { TestRedisCluster } from '@native-login/test-support';
import { measureServer, median, type Run } from './measure.js';
import { startServer, type Server } from './processes.js';
import { kickstartSummary, storeEnvironment } from './store-environment.js';

/**
 * What the guarded read costs on a Redis Cluster against one Redis: the same Store, started twice
 * (REDIS_URL, and REDIS_CLUSTER_NODES naming a 3-primary Cluster of redis-server processes on this
 * machine), each with a signed-in session and a cart, measured in turn, the order alternating per
 * round. `--smoke` runs one short round.
 */
const smoke = process.argv.includes('--smoke');
const rounds = smoke ? 1 : 7;
const seconds = smoke ? 1 : 3;
const connections = 50;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const servers: Server[] = [];
const cluster = await TestRedisCluster.start(3);

async function signedIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ loginId: 'shopper@example.com', password: 'password123' }),
  });
  if (!response.ok) throw new Error(`login at ${url} answered ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const added = await fetch(`${url}/api/cart/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', cookie },
    body: JSON.stringify({ sku: 'tea-sencha', quantity: 2 }),
  });
  if (!added.ok) throw new Error(`the cart at ${url} answered ${added.status}`);
  return cookie;
}

try {
  const summary = await kickstartSummary();
  const fusionAuth = await startServer('fusionauth-server', { BENCH_PASSWORD_ITERATIONS: '1' });
  servers.push(fusionAuth);
  const storeEnv = storeEnvironment(summary, fusionAuth.url, `bench-${randomBytes(4).toString('hex')}:`);
  const stores = {
    'one Redis': await startServer('store-server', { ...storeEnv, REDIS_URL: redisUrl }),
    'a 3-primary Cluster': await startServer('store-server', { ...storeEnv, REDIS_CLUSTER_NODES: cluster.nodes }),
  };
  servers.push(...Object.values(stores));
  const names = Object.keys(stores) as Array<keyof typeof stores>;
  const cookies = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await signedIn(stores[name].url)] as const)),
  ) as Record<keyof typeof stores, string>;
  const runs: Record<string, Run[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const load = { url: `${stores[name].url}/api/cart`, headers: { cookie: cookies[name] }, connections, seconds: 1 };
      await measureServer(load, () => stores[name].cpuMicros());
      const run = await measureServer({ ...load, seconds }, () => stores[name].cpuMicros());
      if (run.errors > 0) throw new Error(`${name}: ${run.errors} failed requests`);
      runs[name]?.push(run);
    }
  }
  const summaryOf = (name: string) => {
    const list = runs[name] ?? [];
    return {
      rps: median(list.map((run) => run.requestsPerSecond)),
      p99: median(list.map((run) => run.p99Ms)),
      cpu: median(list.map((run) => run.cpuMicrosPerRequest)),
    };
  };
  const [single, clustered] = names.map(summaryOf) as [ReturnType<typeof summaryOf>, ReturnType<typeof summaryOf>];
  const ratios = (runs[names[1] as string] ?? []).map((run, index) => {
    const base = runs[names[0] as string]?.[index];
    return {
      rps: run.requestsPerSecond / (base?.requestsPerSecond ?? 1),
      cpu: run.cpuMicrosPerRequest / (base?.cpuMicrosPerRequest ?? 1),
    };
  });
  process.stdout.write(
    [
      `Guarded read (GET /api/cart), ${rounds} interleaved rounds of ${seconds} s, ${connections} connections:`,
      '',
      '| Redis | requests/s | p99 | CPU per request |',
      '| --- | ---: | ---: | ---: |',
      `| ${names[0]} | ${single.rps.toFixed(0)} | ${single.p99.toFixed(1)} ms | ${single.cpu.toFixed(0)} µs |`,
      `| ${names[1]} | ${clustered.rps.toFixed(0)} | ${clustered.p99.toFixed(1)} ms | ${clustered.cpu.toFixed(0)} µs |`,
      '',
      `Cluster / one Redis, medians of the per-round ratios: throughput ${median(ratios.map((r) => r.rps)).toFixed(2)}×, CPU per request ${median(ratios.map((r) => r.cpu)).toFixed(2)}×`,
      '',
    ].join('\n'),
  );
} finally {
  for (const server of servers) server.stop();
  await cluster.stop();
}
