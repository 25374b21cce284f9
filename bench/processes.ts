import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { durableStorage, freePort } from '../test/support/process.ts';
import { median } from './figure.ts';

/**
 * The real server processes, started as `npm start` starts them (src/main.ts through tsx, at
 * the default log level) against a fresh database: their idle memory, and how GET-by-id
 * throughput grows from one worker to two.
 */

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;
const IDLE_RSS_TARGET_MB = 250;
const TWO_WORKERS_TARGET = 1.3;
const IDLE_SECONDS = 5;
const ROUNDS = 3;
const ADMIN = { ADMIN_CLIENT_ID: 'bench-admin', ADMIN_CLIENT_SECRET: 'bench-admin-secret' };

interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Pids of the processes that said they are ready to serve. */
  ready: number[];
  stop(): Promise<void>;
}

/** Starts the server and waits until each of its `workers` processes is ready. */
async function startProcesses(env: Record<string, string>, workers: number): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, RATE_LIMIT: '1000000000', SANDBOX_RATE_LIMIT: '1000000000', ...env, ...ADMIN, WORKERS: String(workers), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready: number[] = [];
  // Read line by line and dropped: under load the request log is megabytes.
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (ready.length < workers && line.includes('"Deuterium is ready"')) ready.push(JSON.parse(line).pid as number);
  });
  const deadline = Date.now() + 120_000;
  while (ready.length < workers) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the server did not start');
    await sleep(100);
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    ready,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function adminToken(url: string): Promise<string> {
  const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
  const issued = await fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  return ((await issued.json()) as { access_token: string }).access_token;
}

async function createClient(url: string, token: string): Promise<string> {
  const created = await fetch(`${url}/nucleus/v1/client`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench-workers-${Date.now()}@example.com`, client_type: 'individual', first_name: 'Bench' }),
  });
  if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { id: string }).id;
}

async function getByIdRate(url: string, token: string, clientId: string, seconds: number): Promise<{ perSecond: number; failed: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'GET', path: `/nucleus/v1/client/${clientId}`, headers: { authorization: `Bearer ${token}` } }],
  });
  return { perSecond: result.requests.average, failed: result.errors + result.timeouts + result.non2xx };
}

/** Idle RSS of the server's processes, each against the 250 MB target; returns the targets missed. */
export async function idleRssBench(): Promise<number> {
  const storage = await durableStorage();
  let missed = 0;
  try {
    const shapes = storage.env.DATABASE_URL ? [1, 2] : [1];
    for (const workers of shapes) {
      const server = await startProcesses(storage.env, workers);
      try {
        await sleep(IDLE_SECONDS * 1000);
        const processes = workers === 1 ? [{ name: 'single process', pid: server.child.pid! }] : [
          { name: 'primary', pid: server.child.pid! },
          ...server.ready.map((pid, i) => ({ name: `worker ${i + 1}`, pid })),
        ];
        for (const { name, pid } of processes) {
          const mb = rssMb(pid);
          const ok = mb <= IDLE_RSS_TARGET_MB;
          if (!ok) missed++;
          console.log(`idle rss, WORKERS=${workers}, ${name.padEnd(14)} ${mb.toFixed(1).padStart(7)} MB  target <= ${IDLE_RSS_TARGET_MB} MB  ${ok ? 'ok' : 'MISSED'}`);
        }
      } finally {
        await server.stop();
      }
    }
    if (!storage.env.DATABASE_URL) console.log('idle rss with several workers: skipped, it needs DATABASE_URL');
  } finally {
    await storage.dispose();
  }
  return missed;
}

/**
 * Runs GET-by-id until its rate stops rising: each worker must have compiled its hot paths,
 * and two workers, each seeing half the requests, take about twice as long as one.
 */
async function warmUp(url: string, token: string, clientId: string): Promise<void> {
  let last = 0;
  for (let run = 0; run < 10; run++) {
    const { perSecond } = await getByIdRate(url, token, clientId, 2);
    if (run > 0 && perSecond < last * 1.1) return;
    last = perSecond;
  }
}

/**
 * GET-by-id throughput of two workers against one on the same database; returns the targets
 * missed. Both servers run side by side and are measured in alternating rounds, so that load
 * from elsewhere on the machine weighs on both alike; the ratio is the median of the rounds'.
 */
export async function workersBench(): Promise<number> {
  const storage = await durableStorage();
  const servers: ServerProcess[] = [];
  try {
    for (const workers of [1, 2]) servers.push(await startProcesses(storage.env, workers));
    const token = await adminToken(servers[0].url);
    const clientId = await createClient(servers[0].url, token);
    for (const server of servers) await warmUp(server.url, token, clientId);
    const ratios: number[] = [];
    let failed = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const [one, two] = [await getByIdRate(servers[0].url, token, clientId, DURATION_SECONDS), await getByIdRate(servers[1].url, token, clientId, DURATION_SECONDS)];
      failed += one.failed + two.failed;
      ratios.push(two.perSecond / one.perSecond);
      console.log(`get client by id, round ${round}: WORKERS=1 ${one.perSecond.toFixed(0)} req/s, WORKERS=2 ${two.perSecond.toFixed(0)} req/s, ratio ${ratios.at(-1)!.toFixed(2)}`);
    }
    const ratio = median(ratios);
    const ok = ratio >= TWO_WORKERS_TARGET && failed === 0;
    console.log(`two workers / one (median of ${ROUNDS} rounds): ${ratio.toFixed(2)}  target >= ${TWO_WORKERS_TARGET}  failed requests ${failed}  ${ok ? 'ok' : 'MISSED'}`);
    return ok ? 0 : 1;
  } finally {
    for (const server of servers) await server.stop();
    await storage.dispose();
  }
}
