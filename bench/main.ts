import autocannon from 'autocannon';
import { startServer, type TestServer } from '../test/support/server.ts';
import { withSuitePostgres } from '../test/support/suite-postgres.ts';
import { assetSizeBench } from './asset-size.ts';
import { cardBench } from './card.ts';
import { printFigures, type BenchFigure } from './figure.ts';
import { hydroBench } from './hydro.ts';
import { listScaleBench } from './list-scale.ts';
import { portfolioBench } from './portfolio.ts';
import { idleRssBench, workersBench } from './processes.ts';
import { simulationBench } from './simulation.ts';

/**
 * npm run bench [-- http workers idle-rss asset-size portfolio simulation card hydro list-scale]
 *
 * Throughput and memory of the main request paths, each as a ratio against a baseline
 * measured in the same run (GET /health: the HTTP stack alone), so the figures compare
 * across machines; the real server processes' idle memory and how two workers compare with
 * one (processes.ts); then the timed computations of Proton and Hydro, each beside a baseline
 * of the same run. A missed target exits non-zero. Names select parts; none runs them all.
 */

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;
const SEED_CLIENTS = 2000;

interface Scenario {
  name: string;
  /** Minimum requests per second as a fraction of the baseline's. */
  target: number;
  method: 'GET' | 'POST';
  path: string;
  body?: () => string;
}

interface Measured {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function run(server: TestServer, token: string, scenario: Omit<Scenario, 'target'>): Promise<Measured> {
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: scenario.method,
        path: scenario.path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(scenario.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: scenario.body!() }) } : {}),
      },
    ],
  });
  return {
    name: scenario.name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function seed(server: TestServer): Promise<string> {
  const cities = ['Boston', 'Chicago', 'Denver', 'New York', 'Austin'];
  let lastId = '';
  for (let i = 0; i < SEED_CLIENTS; i++) {
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: {
        username: `seed-${i}@example.com`,
        client_type: 'individual',
        first_name: `Seed${i}`,
        income: 20000 + (i % 100) * 1000,
        address: [{ address_line1: `${i} Main St`, city: cities[i % cities.length], state: 'XX', country: 'US', type: 'home' }],
      },
    });
    if (created.status !== 201) throw new Error(`seed failed: ${JSON.stringify(created.body)}`);
    lastId = created.body.id;
  }
  return lastId;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function httpBench(): Promise<number> {
  const server = await startServer();
  try {
    const token = await server.adminToken();
    const clientId = await seed(server);
    let unique = 0;
    const scenarios: Scenario[] = [
      { name: 'get client by id', target: 0.25, method: 'GET', path: `/nucleus/v1/client/${clientId}` },
      { name: 'list 25 clients', target: 0.1, method: 'GET', path: '/nucleus/v1/client' },
      {
        name: 'list with nested filter',
        target: 0.02,
        method: 'GET',
        path: `/nucleus/v1/client?filter=${encodeURIComponent('address.city==Boston;income>50000')}`,
      },
      {
        name: 'create client',
        target: 0.05,
        method: 'POST',
        path: '/nucleus/v1/client',
        body: () => JSON.stringify({ username: `bench-${process.pid}-${unique++}@example.com`, client_type: 'individual' }),
      },
    ];

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const baseline = await run(server, token, { name: 'baseline GET /health', method: 'GET', path: '/health' });
    const results = [];
    for (const scenario of scenarios) results.push({ scenario, measured: await run(server, token, scenario) });
    const rssAfter = process.memoryUsage().rss;

    console.log(`Deuterium bench: ${DURATION_SECONDS}s per scenario, ${CONNECTIONS} connections, ${SEED_CLIENTS} seeded clients`);
    console.log(`baseline ${baseline.name}: ${baseline.requestsPerSecond.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);
    console.log('scenario                      req/s   ratio  target  p50ms  p99ms  errors  verdict');
    let missed = 0;
    for (const { scenario, measured } of results) {
      const ratio = measured.requestsPerSecond / baseline.requestsPerSecond;
      const ok = ratio >= scenario.target && measured.errors === 0 && measured.non2xx === 0;
      if (!ok) missed++;
      console.log(
        `${scenario.name.padEnd(28)} ${measured.requestsPerSecond.toFixed(0).padStart(7)} ${ratio.toFixed(3).padStart(7)} ${scenario.target
          .toFixed(3)
          .padStart(7)} ${String(measured.p50).padStart(6)} ${String(measured.p99).padStart(6)} ${String(measured.errors + measured.non2xx).padStart(7)}  ${ok ? 'ok' : 'MISSED'}`,
      );
    }
    const growth = rssAfter / rssBefore;
    const memoryOk = growth <= 2;
    if (!memoryOk) missed++;
    console.log(`memory: rss ${mb(rssBefore)} before load, ${mb(rssAfter)} after (ratio ${growth.toFixed(2)}, target <= 2.00) ${memoryOk ? 'ok' : 'MISSED'}`);
    return missed;
  } finally {
    await server.close();
  }
}

const COMPUTATIONS: Record<string, () => Promise<BenchFigure[]>> = {
  'asset-size': assetSizeBench,
  portfolio: portfolioBench,
  simulation: simulationBench,
  card: cardBench,
  hydro: hydroBench,
  'list-scale': listScaleBench,
};

/** Benches that print their own lines and return how many targets they missed. */
const REPORTS: Record<string, () => Promise<number>> = {
  http: httpBench,
  workers: workersBench,
  'idle-rss': idleRssBench,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in REPORTS) && !(name in COMPUTATIONS));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${[...Object.keys(REPORTS), ...Object.keys(COMPUTATIONS)].join(', ')}`);
  process.exit(2);
}
const runs = (name: string) => asked.length === 0 || asked.includes(name);
const missed = await withSuitePostgres(async () => {
  let missed = 0;
  for (const [name, report] of Object.entries(REPORTS)) if (runs(name)) missed += await report();
  const figures: BenchFigure[] = [];
  for (const [name, bench] of Object.entries(COMPUTATIONS)) if (runs(name)) figures.push(...(await bench()));
  if (figures.length > 0) {
    console.log('');
    missed += printFigures(figures);
  }
  return missed;
});
process.exitCode = missed > 0 ? 1 : 0;
