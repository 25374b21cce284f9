import type { WriteStatement } from '../entity/write-statement.ts';

/**
 * Job changes made as parts of an entity write's one statement (write-statement.ts), so they
 * commit with the write without a transaction of their own. `rows` names an earlier part that
 * returns `tenant_id, id`: the rows the jobs are about, whose ids the jobs take.
 */

/**
 * Queues a job of `kind` for each row, due at once. A row that has one already keeps it as it
 * is; the conflict waits for a worker settling that job, so one the worker removes meanwhile
 * (having seen the row's work as not to be done) is queued again rather than lost.
 */
export function enqueueForRows(write: WriteStatement, rows: string, kind: string): void {
  write.add(
    `INSERT INTO job (tenant_id, id, kind, payload) SELECT r.tenant_id, r.id, ${write.params.add(kind)}, '{}' FROM ${rows} r
     ON CONFLICT (tenant_id, id) DO UPDATE SET update_date = now()`,
  );
}

/**
 * Drops the jobs of the rows, whatever their state: the work they stood for is cancelled. A
 * worker running one loses its lease, so it records nothing.
 */
export function dropJobsOfRows(write: WriteStatement, rows: string, kind: string): void {
  write.add(`DELETE FROM job j USING ${rows} r WHERE j.tenant_id = r.tenant_id AND j.id = r.id AND j.kind = ${write.params.add(kind)}`);
}
