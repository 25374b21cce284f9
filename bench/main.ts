import { spawn, execFileSync } from 'node:child_process';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { freshDatabase } from '../test/support/server.ts';
import { withSuitePostgres } from '../test/support/suite-postgres.ts';
import { bootstrapFirstTenant } from '../src/platform/auth/credentials.ts';
import { assetSizeBench } from './asset-size.ts';
import { cardBench } from './card.ts';
import { printFigures, type BenchFigure } from './figure.ts';
import { hydroBench } from './hydro.ts';
import { listScaleBench } from './list-scale.ts';
import { importBench } from './import.ts';
import { portfolioBench } from './portfolio.ts';
import { idleRssBench, workersBench } from './processes.ts';
import { simulationBench } from './simulation.ts';

/**
 * npm run bench [-- http workers idle-rss asset-size portfolio simulation card hydro list-scale import]
 *
 * http: the main request paths of one Deuterium server process on PostgreSQL (DATABASE_URL's,
 * or an embedded one started for the run),
 * each as a ratio to its floor, a bare Fastify + pg server doing the same SQL work
 * (bench/floor.ts) against the same database, measured in the same run, the two taking turns
 * so that noise falls on both; and, beside a baseline of the same run (GET /health: the HTTP
 * stack alone), a path no floor is written for. Then the timed computations of Proton and
 * Hydro, each beside a baseline of the same run; workers and idle-rss: the real server
 * processes' idle memory and how two workers compare with one (processes.ts). A missed target exits non-zero. Names select
 * parts; none runs them all. BENCH_SECONDS sets how long each server is measured per path; BENCH_CPU_PROF, a
 * directory, has the Deuterium process write a CPU profile there.
 */

/** Seconds each server is measured per scenario, in turns of TURN_SECONDS, so that a burst of noise hits a turn of each. */
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const TURN_SECONDS = 2;
const TURNS = Math.max(1, Math.round(DURATION_SECONDS / TURN_SECONDS));
/** Each path starts with a short untimed turn of each server, for the JIT. */
const WARMUP_SECONDS = 1;
const CONNECTIONS = 10;
const SEED_CLIENTS = 2000;
const ADMIN = { adminClientId: 'bench-admin', adminClientSecret: 'bench-admin-secret' };

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: () => string;
}

interface Scenario extends Request {
  name: string;
  /** Minimum requests per second as a fraction of the floor's (or, with no floor, of the baseline's). */
  target: number;
  floor: boolean;
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

interface Server {
  url: string;
  rssBytes(): number;
  stop(): Promise<void>;
}

async function spawnServer(script: string, databaseUrl: string, nodeOptions: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  lines.on('line', (line) => console.log(`[${script}] ${line}`));
  const { port } = JSON.parse(first) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    rssBytes: () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)]).toString().trim()) * 1024,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function load(server: Server, token: string, request: Request, seconds: number): Promise<Measured> {
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: request.method,
        path: request.path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(request.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: request.body!() }) } : {}),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/** The turns of one server on one path, summed up. */
function combined(runs: Measured[]): Measured {
  return {
    requestsPerSecond: runs.reduce((sum, run) => sum + run.requestsPerSecond, 0) / runs.length,
    p50: Math.max(...runs.map((run) => run.p50)),
    p99: Math.max(...runs.map((run) => run.p99)),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
  };
}

async function call(server: Server, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function adminToken(server: Server): Promise<string> {
  const basic = Buffer.from(`${ADMIN.adminClientId}:${ADMIN.adminClientSecret}`).toString('base64');
  const response = await fetch(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
  });
  if (!response.ok) throw new Error(`admin token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The seeded clients, and a webhook subscribed to them, so that each create also queues an event and its delivery. */
async function seed(server: Server, token: string): Promise<string> {
  const cities = ['Boston', 'Chicago', 'Denver', 'New York', 'Austin'];
  let lastId = '';
  for (let i = 0; i < SEED_CLIENTS; i++) {
    const created = await call(server, token, 'POST', '/nucleus/v1/client', {
      username: `seed-${i}@example.com`,
      client_type: 'individual',
      first_name: `Seed${i}`,
      income: 20000 + (i % 100) * 1000,
      address: [{ address_line1: `${i} Main St`, city: cities[i % cities.length], state: 'XX', country: 'US', type: 'home' }],
    });
    lastId = created.id;
  }
  await call(server, token, 'POST', '/nucleus/v1/webhook', { url: 'http://127.0.0.1:9/bench', atom_service: ['client'] });
  return lastId;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function httpBench(): Promise<number> {
  const { db, url, drop } = await freshDatabase('prepared');
  await bootstrapFirstTenant(db, ADMIN);
  await db.close();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const deuterium = await spawnServer('bench/deuterium.ts', url, profile);
  const floor = await spawnServer('bench/floor.ts', url).catch(async (error: unknown) => {
    await deuterium.stop();
    throw error;
  });
  try {
    const token = await adminToken(deuterium);
    const clientId = await seed(deuterium, token);
    let unique = 0;
    const scenarios: Scenario[] = [
      { name: 'get client by id', target: 0.85, floor: true, method: 'GET', path: `/nucleus/v1/client/${clientId}` },
      { name: 'list 25 clients', target: 0.75, floor: true, method: 'GET', path: '/nucleus/v1/client' },
      {
        name: 'list with nested filter',
        target: 0.02,
        floor: false,
        method: 'GET',
        path: `/nucleus/v1/client?filter=${encodeURIComponent('address.city==Boston;income>50000')}`,
      },
      {
        name: 'create client',
        target: 0.6,
        floor: true,
        method: 'POST',
        path: '/nucleus/v1/client',
        body: () => JSON.stringify({ username: `bench-${process.pid}-${unique++}@example.com`, client_type: 'individual' }),
      },
    ];

    const rssBefore = deuterium.rssBytes();
    const health: Request = { method: 'GET', path: '/health' };
    await load(deuterium, token, health, WARMUP_SECONDS);
    const baseline = await load(deuterium, token, health, DURATION_SECONDS);
    const results = [];
    for (const scenario of scenarios) {
      const servers = scenario.floor ? [floor, deuterium] : [deuterium];
      const runs = new Map<Server, Measured[]>(servers.map((server) => [server, []]));
      for (const server of servers) await load(server, token, scenario, WARMUP_SECONDS);
      for (let turn = 0; turn < TURNS; turn++) {
        for (const server of servers) runs.get(server)!.push(await load(server, token, scenario, TURN_SECONDS));
      }
      results.push({ scenario, measured: combined(runs.get(deuterium)!), floor: scenario.floor ? combined(runs.get(floor)!) : undefined });
    }
    const rssAfter = deuterium.rssBytes();

    console.log(
      `Deuterium bench: ${TURNS} turns of ${TURN_SECONDS}s per server and scenario, ${CONNECTIONS} connections, ${SEED_CLIENTS} seeded clients, PostgreSQL`,
    );
    console.log(`baseline GET /health: ${baseline.requestsPerSecond.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);
    console.log('scenario                      req/s  floor req/s  of floor  of /health  target  p50ms  p99ms  failed  verdict');
    let missed = 0;
    for (const { scenario, measured, floor } of results) {
      const ofBaseline = measured.requestsPerSecond / baseline.requestsPerSecond;
      const ofFloor = floor ? measured.requestsPerSecond / floor.requestsPerSecond : undefined;
      const ok = (ofFloor ?? ofBaseline) >= scenario.target && measured.failed === 0 && (floor?.failed ?? 0) === 0;
      if (!ok) missed++;
      console.log(
        [
          scenario.name.padEnd(28),
          measured.requestsPerSecond.toFixed(0).padStart(6),
          (floor ? floor.requestsPerSecond.toFixed(0) : '-').padStart(12),
          (ofFloor === undefined ? '-' : ofFloor.toFixed(3)).padStart(9),
          ofBaseline.toFixed(3).padStart(11),
          `${scenario.target.toFixed(2)}${floor ? 'F' : 'B'}`.padStart(7),
          String(measured.p50).padStart(6),
          String(measured.p99).padStart(6),
          String(measured.failed + (floor?.failed ?? 0)).padStart(7),
          ` ${ok ? 'ok' : 'MISSED'}`,
        ].join(' '),
      );
    }
    console.log('(target F: of the floor, B: of the /health baseline)');
    const growth = rssAfter / rssBefore;
    const memoryOk = growth <= 2;
    if (!memoryOk) missed++;
    console.log(`memory: rss ${mb(rssBefore)} before load, ${mb(rssAfter)} after (ratio ${growth.toFixed(2)}, target <= 2.00) ${memoryOk ? 'ok' : 'MISSED'}`);
    return missed;
  } finally {
    await floor.stop();
    await deuterium.stop();
    await drop();
  }
}

const COMPUTATIONS: Record<string, () => Promise<BenchFigure[]>> = {
  'asset-size': assetSizeBench,
  portfolio: portfolioBench,
  simulation: simulationBench,
  card: cardBench,
  hydro: hydroBench,
  'list-scale': listScaleBench,
  import: importBench,
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
