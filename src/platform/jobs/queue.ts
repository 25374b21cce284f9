import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';

export interface NewJob {
  tenantId: string;
  kind: string;
  payload: unknown;
}

/** A job one worker holds the lease of; `leaseToken` proves it on every later change. */
export interface ClaimedJob<P = unknown> {
  tenantId: string;
  id: string;
  kind: string;
  payload: P;
  /** Runs started so far, this one included. */
  attempts: number;
  leaseToken: string;
}

interface JobRow {
  tenant_id: string;
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

/**
 * The SQL of the job table. Every change after the claim is conditioned on the lease token,
 * so a worker that lost its lease (it stalled and another took the job over) changes nothing.
 */
export class JobQueue {
  constructor(
    private readonly db: Database,
    readonly leaseMs: number,
  ) {}

  /** Takes the caller's transaction, so the job exists exactly when the change asking for it commits. */
  async enqueue(tx: Queryable, job: NewJob): Promise<string> {
    const id = randomUUID();
    await tx.query('INSERT INTO job (tenant_id, id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)', [
      job.tenantId,
      id,
      job.kind,
      JSON.stringify(job.payload),
    ]);
    return id;
  }

  /**
   * Leases up to `limit` due jobs of the given kinds. SKIP LOCKED lets several workers (or
   * processes sharing a PostgreSQL) claim at once without taking the same job or waiting.
   */
  async claim(kinds: string[], limit: number): Promise<ClaimedJob[]> {
    const leaseToken = randomUUID();
    const rows = await this.db.query<JobRow>(
      `WITH due AS (
         SELECT tenant_id, id FROM job
         WHERE state <> 'failed' AND run_at <= now() AND kind = ANY($1::text[])
         ORDER BY run_at LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE job SET state = 'running', lease_token = $3, attempts = job.attempts + 1,
         run_at = now() + $4 * interval '1 millisecond', update_date = now()
       FROM due WHERE job.tenant_id = due.tenant_id AND job.id = due.id
       RETURNING job.tenant_id, job.id, job.kind, job.payload, job.attempts`,
      [kinds, limit, leaseToken, this.leaseMs],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, kind: r.kind, payload: r.payload, attempts: Number(r.attempts), leaseToken }));
  }

  /** Pushes the lease forward; false when the lease was lost. */
  async extend(job: ClaimedJob): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE job SET run_at = now() + $4 * interval '1 millisecond'
       WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND state = 'running' RETURNING 1`,
      [job.tenantId, job.id, job.leaseToken, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** A finished job is deleted; whatever it produced lives in its own tables. */
  async complete(job: ClaimedJob): Promise<void> {
    await this.db.query('DELETE FROM job WHERE tenant_id = $1 AND id = $2 AND lease_token = $3', [job.tenantId, job.id, job.leaseToken]);
  }

  /** Hands an interrupted job back at once, without counting the run as an attempt. */
  async release(job: ClaimedJob): Promise<void> {
    await this.db.query(
      `UPDATE job SET state = 'pending', lease_token = NULL, run_at = now(), attempts = attempts - 1, update_date = now()
       WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND state = 'running'`,
      [job.tenantId, job.id, job.leaseToken],
    );
  }

  /** Schedules another run after `retryInMs`, or with null marks the job failed for good; false when the lease was lost. */
  async fail(job: ClaimedJob, error: string, retryInMs: number | null): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE job SET state = CASE WHEN $4::integer IS NULL THEN 'failed' ELSE 'pending' END,
         run_at = now() + coalesce($4::integer, 0) * interval '1 millisecond',
         lease_token = NULL, last_error = $5, update_date = now()
       WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND state = 'running' RETURNING 1`,
      [job.tenantId, job.id, job.leaseToken, retryInMs, error],
    );
    return rows.length > 0;
  }
}
