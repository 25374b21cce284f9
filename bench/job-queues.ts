import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../test/support/server.ts';
import { withSuitePostgres } from '../test/support/suite-postgres.ts';
import { LEASE_SECONDS, openQueue, QUEUE_NAMES, type QueueAdapter, type QueueName } from './job-queue-adapters.ts';

/**
 * npx tsx bench/job-queues.ts: Deuterium's job engine beside pg-boss and graphile-worker, on
 * the same PostgreSQL (DATABASE_URL's, or an embedded one started for the run), by the figures
 * docs/jobs.md weighs them with:
 *
 * - queued/s: BENCH_JOBS jobs queued in as few round trips as each offers;
 * - run/s: those jobs run (a handler that does nothing) by one worker, 8 at once;
 * - two workers: as many more jobs run by two workers of their own pools at once, counting runs
 *   against jobs (a job run twice is a duplicate);
 * - crash: a worker process takes a job and is killed outright (SIGKILL); how long until another
 *   worker runs that job, waiting up to CRASH_WAIT_SECONDS. Leases and expiries are 5 s.
 *
 * The libraries are loaded from JOB_LIBRARIES_DIR (see job-queue-adapters.ts); a queue that is
 * not installed is skipped. BENCH_QUEUES (comma-separated names) measures only those.
 */
const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const CRASH_WAIT_SECONDS = Number(process.env.CRASH_WAIT_SECONDS ?? 30);

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

async function runAll(queue: QueueAdapter, workers: number, concurrency: number): Promise<{ seconds: number; runs: number; jobs: number }> {
  const seen = new Map<number, number>();
  let runs = 0;
  const started = performance.now();
  const running = await Promise.all(
    Array.from({ length: workers }, () =>
      queue.work(async (n) => {
        runs++;
        seen.set(n, (seen.get(n) ?? 0) + 1);
      }, concurrency),
    ),
  );
  const finished = await until(() => seen.size >= JOBS, 300_000);
  const seconds = (performance.now() - started) / 1000;
  for (const worker of running) await worker.stop();
  if (!finished) throw new Error(`only ${seen.size} of ${JOBS} jobs ran`);
  return { seconds, runs, jobs: seen.size };
}

async function crash(name: QueueName, queue: QueueAdapter, url: string, n: number): Promise<string> {
  await queue.enqueue(1, n);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/job-queue-child.ts', name, url], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  if (!(await until(() => output.includes(`started ${n}`), 60_000))) {
    child.kill('SIGKILL');
    return 'the worker process never took the job';
  }
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const killedAt = performance.now();
  let ranAgain = false;
  const worker = await queue.work(async (m) => void (m === n && (ranAgain = true)), 1);
  const back = await until(() => ranAgain, CRASH_WAIT_SECONDS * 1000);
  await worker.stop();
  return back ? `run again ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill` : `not run again within ${CRASH_WAIT_SECONDS} s`;
}

await withSuitePostgres(async () => {
  const rows: string[] = [];
  const chosen = process.env.BENCH_QUEUES?.split(',') ?? QUEUE_NAMES;
  for (const name of QUEUE_NAMES.filter((n) => chosen.includes(n))) {
    const fresh = await freshDatabase();
    await fresh.db.close();
    const queue = await openQueue(name, fresh.url);
    if (!queue) {
      rows.push(`| ${name} | not installed in JOB_LIBRARIES_DIR | | | |`);
      await fresh.drop();
      continue;
    }
    try {
      const queuedAt = performance.now();
      await queue.enqueue(JOBS, 0);
      const queuedPerSecond = JOBS / ((performance.now() - queuedAt) / 1000);
      const one = await runAll(queue, 1, 8);
      await queue.enqueue(JOBS, JOBS);
      const two = await runAll(queue, 2, 4);
      const crashed = await crash(name, queue, fresh.url, 2 * JOBS);
      rows.push(
        `| ${name} | ${Math.round(queuedPerSecond)} | ${Math.round(one.jobs / one.seconds)} | ${Math.round(two.jobs / two.seconds)} jobs/s, ${two.runs - two.jobs} duplicates | ${crashed} |`,
      );
    } finally {
      await queue.close();
      await fresh.drop();
    }
    console.log(rows.at(-1));
  }
  console.log(`\n${JOBS} jobs; leases and expiries ${LEASE_SECONDS} s\n`);
  console.log('| queue | queued/s | run/s, one worker, 8 at once | two workers, 4 at once each | crash (SIGKILL mid-job) |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
});
