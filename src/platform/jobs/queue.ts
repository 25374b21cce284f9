import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { checkClaimed, checkRow, invariant, type JobRowState } from './invariants.ts';
import { LeaseLost, type ClaimedJob, type JobLease, type Recorder, type Transition } from './kind.ts';

/** The tenant id of work done for every tenant at once (the retention sweep); no tenant has it. */
export const NO_TENANT = '00000000-0000-0000-0000-000000000000';

export interface NewJob {
  tenantId: string;
  /** The id of the row the job works on (a delivery, a movement, a bulk), so it has one job at a time; new when omitted. */
  id?: string;
  kind: string;
  payload?: unknown;
  /** Due this long from now; at once by default. */
  inMs?: number;
}

/** What one claim asks for, per kind. */
export interface ClaimWant {
  kind: string;
  limit: number;
  leaseMs: number;
}

interface ClaimedRow extends JobRowState {
  tenant_id: string;
  id: string;
  kind: string;
  payload: unknown;
}

const ROW_STATE = 'state, lease_token, attempts, run_at > now() AS in_future';

function claimedJob(row: ClaimedRow, leaseToken: string, where: string): ClaimedJob {
  const attempts = Number(row.attempts);
  checkClaimed({ ...row, attempts }, leaseToken, where);
  return { tenantId: row.tenant_id, id: row.id, kind: row.kind, payload: row.payload, attempts, leaseToken };
}

const key = (lease: JobLease) => [lease.tenantId, lease.id, lease.leaseToken];

/**
 * The SQL of the job table, and the only code that changes it. Every change after a claim is
 * fenced by the lease token (invariant 4), so a worker that lost its lease (it stalled and
 * another took the job over) changes nothing.
 */
export class JobQueue {
  constructor(private readonly db: Database) {}

  /**
   * Takes the caller's transaction, so the job exists exactly when the change asking for it
   * commits. A job already there under the same id is left as it is; false then.
   */
  async enqueue(tx: Queryable, job: NewJob): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO job (tenant_id, id, kind, payload, run_at) VALUES ($1, $2, $3, $4::jsonb, now() + $5 * interval '1 millisecond')
       ON CONFLICT (tenant_id, id) DO NOTHING RETURNING 1`,
      [job.tenantId, job.id ?? randomUUID(), job.kind, JSON.stringify(job.payload ?? {}), job.inMs ?? 0],
    );
    return rows.length > 0;
  }

  /** Queues a job already claimed by the caller, who runs it at once (a request driving its own movement). */
  async enqueueHeld(tx: Queryable, job: NewJob & { id: string }, leaseMs: number): Promise<ClaimedJob> {
    const leaseToken = randomUUID();
    const [row] = await tx.query<ClaimedRow>(
      `INSERT INTO job (tenant_id, id, kind, payload, state, lease_token, attempts, run_at)
       VALUES ($1, $2, $3, $4::jsonb, 'running', $5, 1, now() + $6 * interval '1 millisecond')
       RETURNING tenant_id, id, kind, payload, ${ROW_STATE}`,
      [job.tenantId, job.id, job.kind, JSON.stringify(job.payload ?? {}), leaseToken, leaseMs],
    );
    return claimedJob(row, leaseToken, `enqueueHeld ${job.kind} ${job.id}`);
  }

  /**
   * Makes a job due now with its retries starting over, whatever became of it, unless a live
   * lease holds it (false then: the run under way decides). Creates it when missing.
   */
  async requeue(tx: Queryable, job: NewJob & { id: string }): Promise<boolean> {
    const rows = await tx.query<JobRowState>(
      `INSERT INTO job (tenant_id, id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (tenant_id, id) DO UPDATE
       SET state = 'pending', lease_token = NULL, attempts = 0, run_at = now(), last_error = NULL, update_date = now()
       WHERE job.state <> 'running' OR job.run_at <= now()
       RETURNING ${ROW_STATE}`,
      [job.tenantId, job.id, job.kind, JSON.stringify(job.payload ?? {})],
    );
    for (const row of rows) checkRow({ ...row, attempts: Number(row.attempts) }, `requeue ${job.kind} ${job.id}`);
    return rows.length > 0;
  }

  /**
   * Leases due jobs, up to each kind's limit. SKIP LOCKED lets several workers (or processes
   * sharing a PostgreSQL) claim at once without taking the same job or waiting, and skips a
   * job whose holder is settling it right now.
   */
  async claim(wants: ClaimWant[]): Promise<ClaimedJob[]> {
    const asked = wants.filter((w) => w.limit > 0);
    if (asked.length === 0) return [];
    for (const w of asked) invariant(w.leaseMs > 0, `a claim of ${w.kind} for a lease of ${w.leaseMs} ms`);
    const leaseToken = randomUUID();
    const rows = await this.db.query<ClaimedRow>(
      `WITH due AS (
         SELECT j.tenant_id, j.id, w.lease_ms FROM unnest($1::text[], $2::int[], $3::int[]) AS w(kind, n, lease_ms)
         CROSS JOIN LATERAL (
           SELECT tenant_id, id FROM job
           WHERE kind = w.kind AND state <> 'failed' AND run_at <= now()
           ORDER BY run_at LIMIT w.n
           FOR UPDATE SKIP LOCKED
         ) j
       )
       UPDATE job SET state = 'running', lease_token = $4, attempts = job.attempts + 1,
         run_at = now() + due.lease_ms * interval '1 millisecond', update_date = now()
       FROM due WHERE job.tenant_id = due.tenant_id AND job.id = due.id
       RETURNING job.tenant_id, job.id, job.kind, job.payload, job.state, job.lease_token, job.attempts, job.run_at > now() AS in_future`,
      [asked.map((w) => w.kind), asked.map((w) => w.limit), asked.map((w) => w.leaseMs), leaseToken],
    );
    return rows.map((row) => claimedJob(row, leaseToken, `claim ${row.kind} ${row.id}`));
  }

  /** Claims one given job, if it is due and nobody holds it. */
  async claimOne(tenantId: string, id: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    invariant(leaseMs > 0, `a claim for a lease of ${leaseMs} ms`);
    const leaseToken = randomUUID();
    const [row] = await this.db.query<ClaimedRow>(
      `WITH due AS (
         SELECT tenant_id, id FROM job WHERE tenant_id = $1 AND id = $2 AND state <> 'failed' AND run_at <= now()
         FOR UPDATE SKIP LOCKED
       )
       UPDATE job SET state = 'running', lease_token = $3, attempts = job.attempts + 1,
         run_at = now() + $4 * interval '1 millisecond', update_date = now()
       FROM due WHERE job.tenant_id = due.tenant_id AND job.id = due.id
       RETURNING job.tenant_id, job.id, job.kind, job.payload, job.state, job.lease_token, job.attempts, job.run_at > now() AS in_future`,
      [tenantId, id, leaseToken, leaseMs],
    );
    return row && claimedJob(row, leaseToken, `claimOne ${row.kind} ${id}`);
  }

  /** Pushes the lease forward; false when the lease was lost. */
  async extend(lease: JobLease, leaseMs: number): Promise<boolean> {
    invariant(leaseMs > 0, `a lease renewed for ${leaseMs} ms`);
    const rows = await this.db.query(
      `UPDATE job SET run_at = now() + $4 * interval '1 millisecond'
       WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND state = 'running' RETURNING 1`,
      [...key(lease), leaseMs],
    );
    return rows.length > 0;
  }

  /**
   * Runs `work` in a transaction that first locks the job under its lease (invariant 4): a
   * claim skips the job meanwhile, and a worker that took it over has changed the token, so
   * this one throws LeaseLost before writing anything.
   */
  async fenced<T>(lease: JobLease, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await holdLease(tx, lease);
      return work(tx);
    });
  }

  /**
   * Moves a job on after its run, together with the domain writes of `record`, in one fenced
   * transaction; false when the lease was lost (the worker that took the job over settles it).
   * Without domain writes the transition is one statement, fenced by its own condition on the token.
   */
  async settle(lease: JobLease, next: Transition, record?: Recorder): Promise<boolean> {
    if (!record) return applyTransition(this.db, lease, next);
    try {
      await this.fenced(lease, async (tx) => {
        invariant(await applyTransition(tx, lease, next), `${next.to} ${lease.id}: a held job was not there to settle`);
        await record(tx, next);
      });
      return true;
    } catch (error) {
      if (error instanceof LeaseLost) return false;
      throw error;
    }
  }
}

export async function holdLease(tx: Queryable, lease: JobLease): Promise<void> {
  const held = await tx.query(`SELECT 1 FROM job WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND state = 'running' FOR UPDATE`, key(lease));
  if (held.length === 0) throw new LeaseLost(`job ${lease.id} was taken over by another worker`);
}

/** Invariant 5: a settled job is gone, pending without a lease, or failed without one. False when the lease was lost. */
async function applyTransition(q: Queryable, lease: JobLease, next: Transition): Promise<boolean> {
  const where = `${next.to} ${lease.id}`;
  if (next.to === 'done') {
    const gone = await q.query('DELETE FROM job WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 RETURNING 1', key(lease));
    invariant(gone.length <= 1, `${where}: one lease held ${gone.length} jobs`);
    return gone.length === 1;
  }
  const rows =
    next.to === 'pending'
      ? await q.query<JobRowState & { not_before_now: boolean }>(
          `UPDATE job SET state = 'pending', lease_token = NULL, attempts = $4, run_at = now() + $5 * interval '1 millisecond',
             last_error = coalesce($6, last_error), update_date = now()
           WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 RETURNING ${ROW_STATE}, run_at >= now() AS not_before_now`,
          [...key(lease), next.attempts, next.inMs, next.error ?? null],
        )
      : await q.query<JobRowState & { not_before_now: boolean }>(
          `UPDATE job SET state = 'failed', lease_token = NULL, last_error = $4, update_date = now()
           WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 RETURNING ${ROW_STATE}, true AS not_before_now`,
          [...key(lease), next.error],
        );
  if (rows.length === 0) return false;
  invariant(rows.length === 1, `${where}: one lease held ${rows.length} jobs`);
  const row = { ...rows[0], attempts: Number(rows[0].attempts) };
  checkRow(row, where);
  invariant(row.state === next.to && row.lease_token === null, `${where}: settled as ${row.state}${row.lease_token ? ' and still leased' : ''}`);
  invariant(row.not_before_now, `${where}: settled due before now`);
  return true;
}
