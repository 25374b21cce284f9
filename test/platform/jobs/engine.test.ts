import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { createTenant } from '../../../src/platform/auth/credentials.ts';
import { JobEngine, type JobEngineOptions } from '../../../src/platform/jobs/engine.ts';
import { done, failure, handBack, later, LeaseLost, type JobKind } from '../../../src/platform/jobs/kind.ts';
import { exponentialBackoff, listedBackoff } from '../../../src/platform/jobs/retry.ts';

const quiet = { error() {}, warn() {} };

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** A kind with test defaults: quick polls, retries after 10 ms, no jitter. */
function kind<P = any>(name: string, run: JobKind<P>['run'], overrides: Partial<JobKind<P>> = {}): JobKind<P> {
  return { kind: name, run, retry: listedBackoff([10, 10, 10, 10], 0, 60_000), leaseMs: 5_000, concurrency: 4, pollIntervalMs: 20, ...overrides };
}

describe('job engine', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let tenantId: string;
  const engines: JobEngine[] = [];

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await prepareDatabase(db, []);
    tenantId = (await createTenant(db, 'jobs')).id;
  });
  beforeEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await db.query('DELETE FROM job');
  });
  after(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    await db.close();
    await drop();
  });

  function engine(kinds: JobKind<any>[], options: Partial<JobEngineOptions> = {}): JobEngine {
    const e = new JobEngine(db, { log: quiet, ...options });
    kinds.forEach((k) => e.register(k));
    engines.push(e);
    return e;
  }

  const enqueue = (e: JobEngine, kind: string, payload: unknown, id?: string) => db.transaction((tx) => e.enqueue(tx, { tenantId, kind, payload, ...(id ? { id } : {}) }));
  const rows = () => db.query<{ kind: string; state: string; attempts: number; last_error: string | null }>('SELECT kind, state, attempts, last_error FROM job ORDER BY kind');

  it('runs the jobs of its kinds once each and removes them, leaving other kinds alone', async () => {
    const seen: number[] = [];
    const count = kind<{ n: number }>('count', async (job) => {
      seen.push(job.payload.n);
      return done();
    });
    const a = engine([count]);
    const b = engine([kind<{ n: number }>('count', count.run)]);
    const other = engine([kind('other', async () => done())]);
    for (let n = 0; n < 30; n++) await enqueue(a, 'count', { n });
    await enqueue(other, 'other', {});
    a.start();
    b.start();
    // A job's row goes in the transaction that settles it, after its handler returned: wait for the rows, not the handlers.
    await until(async () => (await rows()).every((r) => r.kind !== 'count'));
    await Promise.all([a.stop(), b.stop()]);
    assert.deepEqual([...seen].sort((x, y) => x - y), Array.from({ length: 30 }, (_, n) => n), 'two workers never run one job twice');
    assert.deepEqual((await rows()).map((r) => r.kind), ['other']);
  });

  it('refuses to queue a kind it has no handler for, and a job twice under one id', async () => {
    const e = engine([kind('known', async () => done())]);
    await assert.rejects(enqueue(e, 'unknown', {}), { name: 'JobInvariantViolation' });
    const id = crypto.randomUUID();
    assert.equal(await enqueue(e, 'known', {}, id), true);
    assert.equal(await enqueue(e, 'known', {}, id), false);
  });

  it('retries a failing job with its policy, then gives it up and says why in the same transaction', async () => {
    let runs = 0;
    let failedWith: string | undefined;
    const e = engine([
      kind(
        'flaky',
        async () => {
          runs++;
          throw new Error(`boom ${runs}`);
        },
        { retry: listedBackoff([10, 10], 0, 60_000), failed: async (_tx, _job, error) => void (failedWith = error) },
      ),
    ]);
    await enqueue(e, 'flaky', {});
    e.start();
    await until(() => failedWith !== undefined);
    // The failed hook runs inside the settling transaction: stopping waits for it to commit and be counted.
    await e.stop();
    assert.equal(runs, 3);
    assert.equal(failedWith, 'boom 3');
    assert.deepEqual(await rows(), [{ kind: 'flaky', state: 'failed', attempts: 3, last_error: 'boom 3' }]);
    const [figures] = await e.figures();
    assert.deepEqual(figures.outcomes, { succeeded: 0, retried: 2, failed: 1, rescheduled: 0 });
  });

  it('waits as long as the other side asks, up to the policy cap, instead of the backoff', async () => {
    const runsAt: number[] = [];
    const e = engine([
      kind(
        'throttled',
        async () => {
          runsAt.push(Date.now());
          return runsAt.length === 1 ? failure('429', { retryAfterMs: 600 }) : runsAt.length === 2 ? failure('429', { retryAfterMs: 3_600_000 }) : done();
        },
        { retry: listedBackoff([10, 10, 10], 0, 1_000) },
      ),
    ]);
    await enqueue(e, 'throttled', {});
    e.start();
    await until(() => runsAt.length === 3);
    assert.ok(runsAt[1] - runsAt[0] >= 550, `asked for 600 ms, waited ${runsAt[1] - runsAt[0]} ms`);
    assert.ok(runsAt[2] - runsAt[1] >= 950 && runsAt[2] - runsAt[1] < 3_000, `an hour asked, capped at 1 s: waited ${runsAt[2] - runsAt[1]} ms`);
  });

  it('spreads retries with jitter inside the policy bounds', async () => {
    const { retryDelay } = await import('../../../src/platform/jobs/retry.ts');
    const policy = exponentialBackoff({ firstMs: 1000, maxMs: 8000, retries: 5, jitter: 0.25 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n, () => 0)), [750, 1500, 3000, 6000, 6000, undefined]);
    assert.deepEqual([1, 2, 3].map((n) => retryDelay(policy, n, () => 0.999999)), [1250, 2500, 5000]);
  });

  it('reschedules a job that has more to do later, its failures starting over', async () => {
    let runs = 0;
    const e = engine([
      kind('poll', async () => {
        runs++;
        if (runs === 1) throw new Error('first fails');
        return runs < 4 ? later(20) : done();
      }),
    ]);
    await enqueue(e, 'poll', {});
    e.start();
    await until(async () => (await rows()).length === 0);
    // Counted once the settling transaction has committed, a moment after the row is gone.
    await e.stop();
    assert.equal(runs, 4);
    const [figures] = await e.figures();
    assert.deepEqual(figures.outcomes, { succeeded: 1, retried: 1, failed: 0, rescheduled: 2 });
  });

  it('on stop, asks the running job to stop and hands it back for the next start', async () => {
    let started = false;
    // A lease far longer than the wait below, so a resumed job can only have been handed back, not taken over.
    const slow = kind('slow', async (_job, { signal }) => {
      started = true;
      while (!signal.aborted) await sleep(5);
      return handBack();
    }, { leaseMs: 60_000 });
    const e = engine([slow]);
    await enqueue(e, 'slow', {});
    e.start();
    await until(() => started);
    await e.stop();
    assert.deepEqual(await rows(), [{ kind: 'slow', state: 'pending', attempts: 0, last_error: null }]);

    let resumed = false;
    engine([kind('slow', async () => ((resumed = true), done()))]).start();
    await until(() => resumed);
  });

  it('takes over a job whose worker died once its lease runs out; the dead lease changes nothing', async () => {
    const first = engine([kind('orphan', async () => done(), { leaseMs: 300 })]);
    await enqueue(first, 'orphan', {});
    const [dead] = await first.queue.claim([{ kind: 'orphan', limit: 1, leaseMs: 300 }]);
    assert.ok(dead);
    assert.deepEqual(await first.queue.claim([{ kind: 'orphan', limit: 1, leaseMs: 300 }]), [], 'leased jobs are not claimed again');

    let attempts = 0;
    let release: () => void = () => {};
    const w = engine([
      kind(
        'orphan',
        async (job) => {
          attempts = job.attempts;
          await new Promise<void>((r) => (release = r));
          return done();
        },
        { leaseMs: 300 },
      ),
    ]);
    w.start();
    await until(() => attempts > 0, 5_000);
    assert.equal(attempts, 2);
    assert.equal(await first.queue.extend(dead, 300), false);
    assert.equal(await first.queue.settle(dead, { to: 'done' }), false);
    await assert.rejects(first.queue.fenced(dead, async () => undefined), LeaseLost);
    assert.equal((await rows()).length, 1, 'the old lease cannot complete the job');
    // Renewed by the heartbeat while running, so it is not taken over again.
    await sleep(700);
    assert.deepEqual(await first.queue.claim([{ kind: 'orphan', limit: 1, leaseMs: 300 }]), []);
    release();
    await until(async () => (await rows()).length === 0);
  });

  it('runs a job its caller claimed itself, settling what it throws and throwing it on', async () => {
    const e = engine([kind('held', async () => done())]);
    const id = crypto.randomUUID();
    const job = await db.transaction((tx) => e.enqueueHeld(tx, { tenantId, id, kind: 'held' }));
    assert.equal((await rows())[0].state, 'running');
    assert.equal(await e.claimOne('held', tenantId, id), undefined, 'held by its caller');
    await assert.rejects(e.runHere(job, async () => {
      throw new Error('the processor is down');
    }), /the processor is down/);
    assert.deepEqual(await rows(), [{ kind: 'held', state: 'pending', attempts: 1, last_error: 'the processor is down' }]);
    await sleep(20);
    const again = await e.claimOne('held', tenantId, id);
    assert.ok(again);
    assert.deepEqual(await e.runHere(again), { to: 'done' });
    assert.deepEqual(await rows(), []);
  });

  it('reports depth, the oldest due job and outcomes per kind', async () => {
    const e = engine([kind('a', async () => done()), kind('b', async () => done())]);
    await db.transaction(async (tx) => {
      await e.enqueue(tx, { tenantId, kind: 'a' });
      await e.enqueue(tx, { tenantId, kind: 'a', inMs: 3_600_000 });
    });
    await db.query(`UPDATE job SET run_at = now() - interval '5 seconds' WHERE run_at <= now()`);
    const [a, b] = await e.figures();
    assert.deepEqual({ ...a, oldestDueSeconds: Math.floor(a.oldestDueSeconds) }, {
      kind: 'a',
      due: 1,
      total: 2,
      running: 0,
      failedJobs: 0,
      oldestDueSeconds: 5,
      outcomes: { succeeded: 0, retried: 0, failed: 0, rescheduled: 0 },
    });
    assert.deepEqual(b, { kind: 'b', due: 0, total: 0, running: 0, failedJobs: 0, oldestDueSeconds: 0, outcomes: { succeeded: 0, retried: 0, failed: 0, rescheduled: 0 } });
    e.start();
    await until(async () => (await e.figures())[0].outcomes.succeeded === 1);
    const [after] = await e.figures();
    assert.deepEqual([after.total, after.outcomes.succeeded], [1, 1]);
  });
});
