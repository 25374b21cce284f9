import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { createTenant } from '../../../src/platform/auth/credentials.ts';
import { JobQueue } from '../../../src/platform/jobs/queue.ts';
import { JobWorker, type JobHandler, type JobWorkerOptions } from '../../../src/platform/jobs/worker.ts';

const quiet = { error() {}, warn() {} };

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('job queue and worker', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let tenantId: string;
  const workers: JobWorker[] = [];

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await prepareDatabase(db, []);
    tenantId = (await createTenant(db, 'jobs')).id;
  });
  beforeEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await db.query('DELETE FROM job');
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await db.close();
    await drop();
  });

  function worker(queue: JobQueue, handlers: JobHandler<any>[], options: Partial<JobWorkerOptions> = {}): JobWorker {
    const w = new JobWorker(queue, { log: quiet, pollIntervalMs: 20, ...options });
    handlers.forEach((h) => w.register(h));
    workers.push(w);
    return w;
  }

  const enqueue = (queue: JobQueue, kind: string, payload: unknown) => db.transaction((tx) => queue.enqueue(tx, { tenantId, kind, payload }));
  const rows = () => db.query<{ kind: string; state: string; attempts: number; last_error: string | null }>('SELECT kind, state, attempts, last_error FROM job');

  it('runs the jobs of its kinds once each and removes them, leaving other kinds alone', async () => {
    const queue = new JobQueue(db, 5_000);
    const seen: number[] = [];
    const a = worker(queue, [{ kind: 'count', run: async (job) => void seen.push((job.payload as { n: number }).n) }]);
    const b = worker(queue, [{ kind: 'count', run: async (job) => void seen.push((job.payload as { n: number }).n) }]);
    for (let n = 0; n < 30; n++) await enqueue(queue, 'count', { n });
    await enqueue(queue, 'other', {});
    a.start();
    b.start();
    await until(() => seen.length >= 30);
    await sleep(100);
    assert.deepEqual([...seen].sort((x, y) => x - y), Array.from({ length: 30 }, (_, n) => n), 'two workers never run one job twice');
    assert.deepEqual((await rows()).map((r) => r.kind), ['other']);
  });

  it('retries a failing job, then gives it up and says why', async () => {
    const queue = new JobQueue(db, 5_000);
    let runs = 0;
    let gaveUp: unknown;
    const w = worker(
      queue,
      [
        {
          kind: 'flaky',
          run: async () => {
            runs++;
            throw new Error(`boom ${runs}`);
          },
          giveUp: async (_job, error) => void (gaveUp = error),
        },
      ],
      { maxAttempts: 3, retryDelayMs: () => 10 },
    );
    await enqueue(queue, 'flaky', {});
    w.start();
    await until(() => gaveUp !== undefined);
    assert.equal(runs, 3);
    assert.equal((gaveUp as Error).message, 'boom 3');
    assert.deepEqual(await rows(), [{ kind: 'flaky', state: 'failed', attempts: 3, last_error: 'boom 3' }]);
  });

  it('on stop, asks the running job to stop and hands it back for the next start', async () => {
    const queue = new JobQueue(db, 5_000);
    let started = false;
    const slow: JobHandler = {
      kind: 'slow',
      run: async (_job, { signal }) => {
        started = true;
        while (!signal.aborted) await sleep(5);
      },
    };
    const w = worker(queue, [slow]);
    await enqueue(queue, 'slow', {});
    w.start();
    await until(() => started);
    await w.stop();
    assert.deepEqual(await rows(), [{ kind: 'slow', state: 'pending', attempts: 0, last_error: null }]);

    let resumed = false;
    worker(queue, [{ kind: 'slow', run: async () => void (resumed = true) }]).start();
    await until(() => resumed, 2_000);
  });

  it('takes over a job whose worker died once its lease runs out; the dead lease changes nothing', async () => {
    const queue = new JobQueue(db, 300);
    await enqueue(queue, 'orphan', {});
    const [dead] = await queue.claim(['orphan'], 1);
    assert.ok(dead);
    assert.deepEqual(await queue.claim(['orphan'], 1), [], 'leased jobs are not claimed again');

    let attempts = 0;
    let release: () => void = () => {};
    const w = worker(queue, [
      {
        kind: 'orphan',
        run: async (job) => {
          attempts = job.attempts;
          await new Promise<void>((r) => (release = r));
        },
      },
    ]);
    w.start();
    await until(() => attempts > 0, 5_000);
    assert.equal(attempts, 2);
    assert.equal(await queue.extend(dead), false);
    await queue.complete(dead);
    assert.equal((await rows()).length, 1, 'the old lease cannot complete the job');
    // Renewed by the heartbeat while running, so it is not taken over again.
    await sleep(700);
    assert.deepEqual(await queue.claim(['orphan'], 1), []);
    release();
    await until(async () => (await rows()).length === 0);
  });
});
