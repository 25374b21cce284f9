import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../../src/platform/db/database.ts';
import { JobEngine } from '../../../src/platform/jobs/engine.ts';
import { done, handBack } from '../../../src/platform/jobs/kind.ts';
import { exponentialBackoff } from '../../../src/platform/jobs/retry.ts';

/**
 * A worker process of crash.test.ts: the job engine running `crash-test` jobs, each of which
 * takes a moment and records its run in the transaction that finishes it. SIGTERM stops it as
 * the server does: running jobs are handed back, then it exits.
 */
const [url, leaseMs] = process.argv.slice(2);
const db = await openDatabase(url, 4);
const engine = new JobEngine(db, { log: { error: () => {}, warn: () => {} } });
engine.register({
  kind: 'crash-test',
  retry: exponentialBackoff({ firstMs: 10, maxMs: 10 }),
  leaseMs: Number(leaseMs),
  concurrency: 4,
  pollIntervalMs: 20,
  async run(job, { signal }) {
    await sleep(30);
    if (signal.aborted) return handBack();
    return done(async (tx) => {
      await tx.query('INSERT INTO job_effect (job_id, pid, attempts) VALUES ($1, $2, $3)', [job.id, process.pid, job.attempts]);
    });
  },
});
engine.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void engine.stop().then(async () => {
    await db.close();
    process.exit(0);
  });
});
