import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freshDatabase } from '../../support/server.ts';
import type { Database, Queryable } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { createTenant } from '../../../src/platform/auth/credentials.ts';
import { JobQueue } from '../../../src/platform/jobs/queue.ts';
import { done, failure, giveUp, handBack, later, LeaseLost, type ClaimedJob, type JobOutcome } from '../../../src/platform/jobs/kind.ts';
import { listedBackoff, nextTransition } from '../../../src/platform/jobs/retry.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/** Replays a failure: JOB_INTERLEAVING_SEED=<the seed it printed>. */
const SEED = Number(process.env.JOB_INTERLEAVING_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SESSIONS = 4;
const STEPS = 600;
const KINDS = ['alpha', 'beta'];
/** How long a statement may take before the schedule moves on to another session, leaving it waiting on a lock. */
const BLOCKED_AFTER_MS = 25;
const HOUR_MS = 3_600_000;
/** A lease over by the next statement, or nearly: counted as ended, so a takeover of it is never called wrong. */
const SHORT_LEASE_MS = 1;
/** Retries at once or in an hour, and a job fails for good at its fourth failure. */
const POLICY = listedBackoff([0, HOUR_MS, 0], 0, HOUR_MS);

/** One PostgreSQL session as the Database a queue runs on: every statement of it on that one connection. */
function sessionDatabase(client: pg.Client): Database {
  const q: Queryable = { query: async (sql, params) => (await client.query(sql, params)).rows };
  return {
    ...q,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    withAdvisoryLock: () => Promise.reject(new Error('not used here')),
    close: () => client.end(),
  };
}

/** A lease some session believes it holds. */
interface Held {
  job: ClaimedJob;
  /** Whether the lease can still be in force: false once it was short, or the clock passed its end. */
  live: boolean;
}

/**
 * The job engine's invariants (src/platform/jobs/invariants.ts) under sessions that claim,
 * renew, settle, abandon, requeue and cancel jobs at once, some inside open transactions and
 * some holding a job's lock while the others go on, with the clock jumping ahead (every run_at
 * moved back) now and then. After every step: the rows keep the invariants, no job was done
 * more often than it was queued, and no claim took a job from a live lease.
 */
describe('job queue under interleaved sessions', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  let tenantId: string;

  before(async () => {
    ({ db, url, drop } = await freshDatabase());
    await prepareDatabase(db, []);
    tenantId = (await createTenant(db, 'interleaving')).id;
    // What a job's work leaves behind, written in the transaction that finishes the job.
    await db.query('CREATE TABLE job_effect (tenant_id uuid NOT NULL, job_id uuid NOT NULL, lease_token text NOT NULL)');
  });
  after(async () => {
    await db.close();
    await drop();
  });

  async function connect(): Promise<pg.Client> {
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    return session;
  }

  it(`keeps its invariants through seeded random interleavings (seed ${SEED})`, { timeout: 300_000 }, async (t) => {
    const random = seededRandom(SEED);
    const clients = await Promise.all(Array.from({ length: SESSIONS }, connect));
    const checker = await connect();
    t.after(() => Promise.all([...clients, checker].map((c) => c.end())));
    const queues = clients.map((c) => new JobQueue(sessionDatabase(c)));
    const log: string[] = [];

    // The model: what the sessions were told, against which the database is checked.
    const ids: string[] = [];
    const queued = new Map<string, number>();
    const cancelled = new Set<string>();
    const held: Held[][] = clients.map(() => []);
    /** The token of the last claim of each job, while nobody settled, requeued or cancelled it since. */
    const current = new Map<string, string>();
    /** Clock jumps under way: a lease claimed meanwhile may end up moved back past its end. */
    let clocksMoving = 0;
    const gates: (() => void)[][] = clients.map(() => []);

    type State = { inTransaction: boolean; failed: boolean; pending?: Promise<void>; staged: string[] };
    const states: State[] = clients.map(() => ({ inTransaction: false, failed: false, staged: [] }));
    const fail = (message: string) => assert.fail(`seed ${SEED}: ${message}\n${log.slice(-40).join('\n')}`);

    const countQueued = (id: string) => queued.set(id, (queued.get(id) ?? 0) + 1);
    const forget = (id: string) => {
      current.delete(id);
      for (const leases of held) leases.splice(0, leases.length, ...leases.filter((h) => h.job.id !== id));
    };
    const claimed = (index: number, jobs: ClaimedJob[], leaseMs: number) => {
      for (const job of jobs) {
        for (const [other, leases] of held.entries()) {
          for (const h of leases) if (h.job.id === job.id && h.live) fail(`session ${index} claimed ${job.id} while session ${other} held a live lease on it`);
        }
        current.set(job.id, job.leaseToken);
        held[index].push({ job, live: leaseMs > SHORT_LEASE_MS && clocksMoving === 0 });
      }
    };

    /**
     * Runs an operation; when it waits on a lock past a moment, the schedule goes on without it.
     * `expect` checks the result of one that did not wait (the model is exact then).
     */
    /** The first broken invariant or model check, wherever it was found; thrown at the next step. */
    let broken: unknown;
    let waits = 0;
    /**
     * Runs an operation; when it waits on a lock past a moment, the schedule goes on without it.
     * `settled` sees the result, and whether the operation waited (the model is exact only when not).
     */
    async function issue<T>(index: number, label: string, work: () => Promise<T>, settled?: (result: T, waited: boolean) => void) {
      const state = states[index];
      log.push(`${index}: ${label}`);
      let waited = false;
      const finished = work()
        .then((result) => settled?.(result, waited))
        .catch((error: { code?: string; message: string; name?: string }) => {
          if (error.name === 'JobInvariantViolation' || error.name === 'AssertionError') {
            broken ??= error;
            return;
          }
          log.push(`${index}: ${label} failed: ${error.code ?? ''} ${error.message}`);
          if (state.inTransaction) state.failed = true;
        });
      const quick = await Promise.race([finished.then(() => true), new Promise<false>((r) => setTimeout(r, BLOCKED_AFTER_MS, false))]);
      if (!quick) {
        waited = true;
        waits++;
        state.pending = finished.then(() => void (state.pending = undefined));
      }
    }

    const outcomes: (() => JobOutcome)[] = [
      () => done(),
      () => failure('boom'),
      () => failure('throttled', { retryAfterMs: random.pick([0, HOUR_MS]) }),
      () => later(random.pick([0, HOUR_MS])),
      () => giveUp('hopeless'),
      () => handBack(),
    ];

    const operations: Record<string, (index: number) => Promise<void>> = {
      enqueue: async (index) => {
        const id = randomUUID();
        const inMs = random.pick([0, 0, 0, HOUR_MS]);
        if (states[index].inTransaction) {
          states[index].staged.push(id);
          return issue(index, `enqueue ${id} in transaction`, () => queues[index].enqueue(sessionQueryable(index), { tenantId, id, kind: random.pick(KINDS), inMs }));
        }
        return issue(index, `enqueue ${id}`, () => queues[index].enqueue(sessionQueryable(index), { tenantId, id, kind: random.pick(KINDS), inMs }), () => {
          ids.push(id);
          countQueued(id);
        });
      },
      claim: async (index) => {
        const leaseMs = random.pick([SHORT_LEASE_MS, HOUR_MS, HOUR_MS]);
        const wants = KINDS.map((kind) => ({ kind, limit: random.int(3), leaseMs }));
        return issue(index, `claim ${JSON.stringify(wants.map((w) => w.limit))} lease ${leaseMs}`, () => queues[index].claim(wants), (jobs) => claimed(index, jobs, leaseMs));
      },
      'claim one': async (index) => {
        if (ids.length === 0) return;
        const id = random.pick(ids);
        const leaseMs = random.pick([SHORT_LEASE_MS, HOUR_MS]);
        return issue(index, `claim one ${id}`, () => queues[index].claimOne(tenantId, id, leaseMs), (job) => job && claimed(index, [job], leaseMs));
      },
      extend: async (index) => {
        const h = held[index].length > 0 ? random.pick(held[index]) : undefined;
        if (!h) return;
        const leaseMs = random.pick([SHORT_LEASE_MS, HOUR_MS]);
        const expected = current.get(h.job.id) === h.job.leaseToken;
        return issue(index, `extend ${h.job.id}`, () => queues[index].extend(h.job, leaseMs), (renewed, waited) => {
          if (!waited && renewed !== expected) fail(`extend of ${h.job.id} by session ${index} answered ${renewed}, the model says ${expected}`);
          if (renewed) h.live = leaseMs > SHORT_LEASE_MS && clocksMoving === 0;
        });
      },
      settle: async (index) => {
        const h = held[index].length > 0 ? random.pick(held[index]) : undefined;
        if (!h) return;
        held[index].splice(held[index].indexOf(h), 1);
        const outcome = random.pick(outcomes)();
        const next = nextTransition(outcome, h.job.attempts, POLICY, random.next);
        const expected = current.get(h.job.id) === h.job.leaseToken;
        // Now and then the settling transaction holds the job's lock while the schedule goes on.
        const gated = random.next() < 0.2;
        const gate = gated ? new Promise<void>((resolve) => gates[index].push(resolve)) : undefined;
        return issue(
          index,
          `settle ${h.job.id} ${JSON.stringify(next)}${gated ? ' (held open)' : ''}`,
          () =>
            queues[index].settle(h.job, next, async (tx, settled) => {
              if (settled.to === 'done') await tx.query('INSERT INTO job_effect (tenant_id, job_id, lease_token) VALUES ($1, $2, $3)', [tenantId, h.job.id, h.job.leaseToken]);
              await gate;
            }),
          (took, waited) => {
            if (!waited && !gated && took !== expected) fail(`settle of ${h.job.id} by session ${index} answered ${took}, the model says ${expected}`);
            if (took) current.delete(h.job.id);
          },
        );
      },
      'fenced write with a lost lease': async (index) => {
        const h = held[index].find((x) => current.get(x.job.id) !== x.job.leaseToken);
        if (!h) return;
        return issue(index, `fenced write by a stale holder of ${h.job.id}`, async () => {
          try {
            await queues[index].fenced(h.job, async () => undefined);
            return true;
          } catch (error) {
            if (error instanceof LeaseLost) return false;
            throw error;
          }
        }, (wrote, waited) => {
          if (!waited && wrote) fail(`a stale lease of ${h.job.id} wrote under the fence`);
        });
      },
      crash: async (index) => {
        log.push(`${index}: crashes, forgetting ${held[index].length} leases`);
        held[index] = [];
      },
      requeue: async (index) => {
        if (ids.length === 0) return;
        const id = random.pick(ids);
        return issue(index, `requeue ${id}`, () => queues[index].requeue(sessionQueryable(index), { tenantId, id, kind: random.pick(KINDS) }), (took) => {
          if (!took) return;
          countQueued(id);
          forget(id);
        });
      },
      cancel: async (index) => {
        if (ids.length === 0) return;
        const id = random.pick(ids);
        return issue(index, `cancel ${id}`, () => sessionQueryable(index).query('DELETE FROM job WHERE tenant_id = $1 AND id = $2 RETURNING 1', [tenantId, id]), (rows) => {
          if (rows.length === 0) return;
          cancelled.add(id);
          forget(id);
        });
      },
      'clock jumps two hours': async (index) => {
        clocksMoving++;
        for (const leases of held) for (const h of leases) h.live = false;
        return issue(index, 'clock jumps two hours', async () => {
          try {
            await sessionQueryable(index).query(`UPDATE job SET run_at = run_at - interval '2 hours'`);
          } finally {
            for (const leases of held) for (const h of leases) h.live = false;
            clocksMoving--;
          }
        });
      },
      'release a held-open settle': async () => {
        const open = gates.flatMap((g, i) => (g.length > 0 ? [i] : []));
        if (open.length === 0) return;
        const index = random.pick(open);
        log.push(`${index}: releases a held-open settle`);
        gates[index].shift()!();
      },
    };
    const sessionQueryable = (index: number): Queryable => ({ query: async (sql, params) => (await clients[index].query(sql, params)).rows });
    const weights: Record<string, number> = { enqueue: 4, claim: 4, settle: 4, extend: 1.5, 'release a held-open settle': 3, crash: 0.3, 'clock jumps two hours': 0.5, cancel: 0.3 };
    const names = Object.keys(operations).flatMap((name) => Array<string>(Math.round((weights[name] ?? 1) * 10)).fill(name));
    const inTransactionOnly = new Set(['enqueue']);

    async function check(step: number | string) {
      if (broken) throw broken;
      const wrongRows = await checker.query(
        `SELECT id, state, lease_token, attempts FROM job
         WHERE state NOT IN ('pending', 'running', 'failed') OR (state = 'running') <> (lease_token IS NOT NULL)
            OR attempts < 0 OR (state = 'running' AND attempts < 1)`,
      );
      if (wrongRows.rows.length > 0) fail(`step ${step}: rows break the invariants: ${JSON.stringify(wrongRows.rows)}`);
      const effects = await checker.query<{ job_id: string; n: string }>('SELECT job_id, count(*) AS n FROM job_effect GROUP BY job_id');
      for (const { job_id, n } of effects.rows) {
        if (Number(n) > (queued.get(job_id) ?? 0)) fail(`step ${step}: job ${job_id} was done ${n} times but queued ${queued.get(job_id) ?? 0}`);
      }
    }

    for (let step = 0; step < STEPS; step++) {
      const ready = states.map((s, i) => (s.pending ? -1 : i)).filter((i) => i >= 0);
      if (ready.length === 0) {
        // Every session waits: what they wait for is a held-open settle, released here.
        const open = gates.flatMap((g, i) => (g.length > 0 ? [i] : []));
        if (open.length > 0) gates[random.pick(open)].shift()!();
        await Promise.race(states.map((s) => s.pending));
        continue;
      }
      const index = random.pick(ready);
      const state = states[index];
      const roll = random.next();
      const q = sessionQueryable(index);
      if (state.inTransaction && (state.failed || roll < 0.2)) {
        const end = state.failed || roll < 0.05 ? 'ROLLBACK' : 'COMMIT';
        const staged = state.staged.splice(0);
        state.inTransaction = false;
        state.failed = false;
        await issue(index, end, () => q.query(end), () => {
          if (end === 'COMMIT') for (const id of staged) (ids.push(id), countQueued(id));
        });
      } else if (!state.inTransaction && roll < 0.1) {
        state.inTransaction = true;
        await issue(index, 'BEGIN', () => q.query('BEGIN'));
      } else {
        const name = random.pick(names);
        if (state.inTransaction && !inTransactionOnly.has(name)) continue;
        await operations[name](index);
      }
      await check(step);
    }

    // Ends everything in flight: held-open settles, open transactions, waiting statements.
    while (states.some((s) => s.pending || s.inTransaction) || gates.some((g) => g.length > 0)) {
      for (const g of gates) while (g.length > 0) g.shift()!();
      for (const [index, state] of states.entries()) {
        if (state.pending || !state.inTransaction) continue;
        const staged = state.staged.splice(0);
        const end = state.failed ? 'ROLLBACK' : 'COMMIT';
        state.inTransaction = false;
        await issue(index, end, () => clients[index].query(end), () => {
          if (end === 'COMMIT') for (const id of staged) (ids.push(id), countQueued(id));
        });
      }
      const waiting = states.filter((s) => s.pending).map((s) => s.pending);
      if (waiting.length > 0) await Promise.race(waiting);
    }
    await check('end');

    // A clean worker drains the queue: every job queued and not cancelled ends done or failed for good.
    const drainer = new JobQueue(db);
    for (let round = 0; round < 50; round++) {
      await db.query(`UPDATE job SET run_at = run_at - interval '2 hours'`);
      const jobs = await drainer.claim(KINDS.map((kind) => ({ kind, limit: 1000, leaseMs: HOUR_MS })));
      if (jobs.length === 0) break;
      for (const job of jobs) {
        assert.ok(
          await drainer.settle(job, { to: 'done' }, async (tx) => {
            await tx.query('INSERT INTO job_effect (tenant_id, job_id, lease_token) VALUES ($1, $2, $3)', [tenantId, job.id, job.leaseToken]);
          }),
        );
      }
    }
    await check('drained');
    const left = await db.query<{ state: string }>('SELECT DISTINCT state FROM job');
    assert.deepEqual(left.map((r) => r.state).filter((s) => s !== 'failed'), [], `seed ${SEED}: jobs left unfinished after the drain`);
    const failedIds = new Set((await db.query<{ id: string }>('SELECT id FROM job')).map((r) => r.id));
    const doneIds = new Set((await db.query<{ job_id: string }>('SELECT DISTINCT job_id FROM job_effect')).map((r) => r.job_id));
    const lost = ids.filter((id) => !doneIds.has(id) && !failedIds.has(id) && !cancelled.has(id));
    assert.deepEqual(lost, [], `seed ${SEED}: queued jobs neither done, failed nor cancelled`);
    t.diagnostic(
      `seed ${SEED}: ${log.length} operations, ${waits} waited on a lock, ${log.filter((l) => l.includes('(held open)')).length} held a job's lock open, ${log.filter((l) => l.includes(' failed: ')).length} refused, ${ids.length} jobs, ${doneIds.size} done, ${failedIds.size} failed for good, ${cancelled.size} cancelled`,
    );
  });
});
