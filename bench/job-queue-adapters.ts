import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/platform/db/database.ts';
import { prepareDatabase } from '../src/platform/db/prepare.ts';
import { JobEngine } from '../src/platform/jobs/engine.ts';
import { done } from '../src/platform/jobs/kind.ts';
import { NO_TENANT } from '../src/platform/jobs/queue.ts';
import { exponentialBackoff } from '../src/platform/jobs/retry.ts';

/**
 * The same few operations over Deuterium's job engine and over the PostgreSQL job libraries it
 * was weighed against (docs/jobs.md), for bench/job-queues.ts. The libraries are not
 * dependencies of the project: they are loaded from JOB_LIBRARIES_DIR, where
 * `npm install --prefix "$JOB_LIBRARIES_DIR" pg-boss@10 graphile-worker@0.16` put them.
 */
export interface QueueAdapter {
  /** Queues `count` jobs, numbered from `from`, in as few round trips as the queue offers. */
  enqueue(count: number, from?: number): Promise<void>;
  /** Runs `handler` on each job, `concurrency` at once, until stopped. */
  work(handler: (n: number) => Promise<void>, concurrency: number): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export const QUEUE_NAMES = ['deuterium', 'pg-boss', 'graphile-worker'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** A lease (or expiry) of 5 s for every queue, so a crashed worker's job can come back within the bench. */
export const LEASE_SECONDS = 5;
const KIND = 'bench';

async function library(name: string): Promise<any> {
  const dir = process.env.JOB_LIBRARIES_DIR;
  if (!dir) return undefined;
  try {
    const resolved = createRequire(path.join(path.resolve(dir), 'package.json')).resolve(name);
    return await import(pathToFileURL(resolved).href);
  } catch {
    return undefined;
  }
}

/** Undefined for a library that is not installed. */
export async function openQueue(name: QueueName, url: string): Promise<QueueAdapter | undefined> {
  if (name === 'deuterium') return deuterium(url);
  if (name === 'pg-boss') return pgBoss(url);
  return graphileWorker(url);
}

async function deuterium(url: string): Promise<QueueAdapter> {
  const db = await openDatabase(url, 12);
  await prepareDatabase(db, []);
  const quiet = { error: () => {}, warn: () => {} };
  const engines: JobEngine[] = [];
  const kindOf = (run: (n: number) => Promise<void>, concurrency: number) => ({
    kind: KIND,
    retry: exponentialBackoff({ firstMs: 1000, maxMs: 60_000, retries: 3 }),
    leaseMs: LEASE_SECONDS * 1000,
    concurrency,
    pollIntervalMs: 500,
    run: async (job: { payload: { n: number } }) => {
      await run(job.payload.n);
      return done();
    },
  });
  const enqueuer = new JobEngine(db, { log: quiet });
  enqueuer.register(kindOf(async () => {}, 1));
  return {
    async enqueue(count, from = 0) {
      await db.transaction(async (tx) => {
        for (let n = from; n < from + count; n++) await enqueuer.enqueue(tx, { tenantId: NO_TENANT, kind: KIND, payload: { n } });
      });
    },
    async work(handler, concurrency) {
      const engine = new JobEngine(db, { log: quiet });
      engine.register(kindOf(handler, concurrency));
      engines.push(engine);
      engine.start();
      return { stop: () => engine.stop() };
    },
    async close() {
      await Promise.all(engines.map((e) => e.stop()));
      await db.close();
    },
  };
}

async function pgBoss(url: string): Promise<QueueAdapter | undefined> {
  const loaded = await library('pg-boss');
  if (!loaded) return undefined;
  const PgBoss = loaded.default ?? loaded;
  const open = async () => {
    const boss = new PgBoss({ connectionString: url, max: 12, maintenanceIntervalSeconds: 1, superviseIntervalSeconds: 1, monitorStateIntervalSeconds: 60 });
    boss.on('error', () => {});
    await boss.start();
    return boss;
  };
  const boss = await open();
  await boss.createQueue(KIND, { name: KIND, retryLimit: 3, expireInSeconds: LEASE_SECONDS });
  const workers: any[] = [];
  return {
    async enqueue(count, from = 0) {
      await boss.insert(Array.from({ length: count }, (_, i) => ({ name: KIND, data: { n: from + i } })));
    },
    async work(handler, concurrency) {
      const worker = await open();
      workers.push(worker);
      // pg-boss runs one fetch loop per work(); one per slot gives `concurrency` jobs at once.
      for (let i = 0; i < concurrency; i++) {
        await worker.work(KIND, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]: { data: { n: number } }[]) => handler(job.data.n));
      }
      return { stop: () => worker.stop({ graceful: true, wait: true, close: true }) };
    },
    async close() {
      for (const worker of workers) await worker.stop({ graceful: false, wait: true, close: true }).catch(() => {});
      await boss.stop({ graceful: false, wait: true, close: true });
    },
  };
}

async function graphileWorker(url: string): Promise<QueueAdapter | undefined> {
  const loaded = await library('graphile-worker');
  if (!loaded) return undefined;
  const { run, makeWorkerUtils } = loaded;
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();
  const runners: any[] = [];
  return {
    async enqueue(count, from = 0) {
      await utils.withPgClient((client: { query(sql: string, params: unknown[]): Promise<unknown> }) =>
        client.query(`SELECT graphile_worker.add_job($1, json_build_object('n', g), max_attempts := 4) FROM generate_series($2::int, $3::int) g`, [KIND, from, from + count - 1]),
      );
    },
    async work(handler, concurrency) {
      const runner = await run({
        connectionString: url,
        concurrency,
        pollInterval: 500,
        noHandleSignals: true,
        logger: new loaded.Logger(() => () => {}),
        taskList: { [KIND]: async (payload: { n: number }) => handler(payload.n) },
      });
      runners.push(runner);
      return { stop: () => runner.stop() };
    },
    async close() {
      for (const runner of runners) await runner.stop().catch(() => {});
      await utils.release();
    },
  };
}
