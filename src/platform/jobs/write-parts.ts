import type { Queryable } from '../db/database.ts';
import type { WriteStatement } from '../entity/write-statement.ts';

/**
 * Queues a job of `kind` for each row of the part `rows` (`tenant_id, id`: the rows the jobs
 * are about, whose ids the jobs take), due at once, as a part of an entity write's one statement
 * (write-statement.ts), so the jobs commit with the write. A row that has a job already keeps it
 * as it is; the conflict waits for a worker settling that job, so one the worker removes
 * meanwhile (having seen the row's work as not to be done) is queued again rather than lost.
 */
export function enqueueForRows(write: WriteStatement, rows: string, kind: string): void {
  write.add(
    `INSERT INTO job (tenant_id, id, kind, payload) SELECT r.tenant_id, r.id, ${write.params.add(kind)}, '{}' FROM ${rows} r
     ON CONFLICT (tenant_id, id) DO UPDATE SET update_date = now()`,
  );
}

/**
 * Drops the jobs of `kind` for the rows `rows` selects (`tenant_id, id`, with `params`), whatever
 * their state: the work they stood for is being cancelled. Run in the write's transaction before
 * its statement (WriteStatement.beforehand): a worker settling one of them locks the job first
 * and the row it is about second, so taking the jobs first too makes the two wait for each other
 * instead of deadlocking. A worker running one loses its lease, so it records nothing.
 */
export async function dropJobs(tx: Queryable, kind: string, rows: string, params: unknown[]): Promise<void> {
  await tx.query(`DELETE FROM job j USING (${rows}) r WHERE j.tenant_id = r.tenant_id AND j.id = r.id AND j.kind = $${params.length + 1}`, [...params, kind]);
}
