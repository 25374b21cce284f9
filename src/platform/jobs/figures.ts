import type { Queryable } from '../db/database.ts';
import type { Transition } from './kind.ts';
import { countJobOutcome } from '../metrics/process-metrics.ts';

/** Runs of one kind settled by this process since it started, by how they ended. */
export interface JobOutcomeCounts {
  /** Finished: the job is gone. */
  succeeded: number;
  /** Failed and scheduled to run again. */
  retried: number;
  /** Failed for good. */
  failed: number;
  /** Ran well and left more to do later (an ACH transfer not yet settled, the next sweep). */
  rescheduled: number;
}

/** What /metrics shows of one kind of job. */
export interface JobFigures {
  kind: string;
  /** Jobs that could be claimed now: due, or running under a lease that has ended. */
  due: number;
  /** Every job not failed for good: due, scheduled later, or running. */
  total: number;
  running: number;
  /** Jobs kept after failing for good, until the retention sweep removes them. */
  failedJobs: number;
  /** How long the oldest due job has been waiting past its due time; 0 when none is due. */
  oldestDueSeconds: number;
  /** Counted by this process only, since it started. */
  outcomes: JobOutcomeCounts;
}

/**
 * Outcome counters per kind of this engine, kept in memory for its figures; each is also counted
 * in the process's metrics, which sum every engine a process runs (a test process runs many).
 */
export class JobCounters {
  private readonly counts = new Map<string, JobOutcomeCounts>();

  of(kind: string): JobOutcomeCounts {
    let counts = this.counts.get(kind);
    if (!counts) {
      counts = { succeeded: 0, retried: 0, failed: 0, rescheduled: 0 };
      this.counts.set(kind, counts);
    }
    return counts;
  }

  count(kind: string, next: Transition): void {
    const outcome = outcomeOf(next);
    if (!outcome) return;
    this.of(kind)[outcome]++;
    countJobOutcome(kind, outcome);
  }
}

function outcomeOf(next: Transition): keyof JobOutcomeCounts | undefined {
  if (next.to === 'done') return 'succeeded';
  if (next.to === 'failed') return 'failed';
  if (next.why === 'retry') return 'retried';
  if (next.why === 'later') return 'rescheduled';
  return undefined;
}

/** The figures of each kind named, read in one statement; a kind without jobs shows zeros. */
export async function jobFigures(db: Queryable, kinds: string[], counters: JobCounters): Promise<JobFigures[]> {
  const rows = await db.query<{ kind: string; due: string; total: string; running: string; failed: string; oldest_due_seconds: number | null }>(
    `SELECT kind,
       count(*) FILTER (WHERE state <> 'failed' AND run_at <= now()) AS due,
       count(*) FILTER (WHERE state <> 'failed') AS total,
       count(*) FILTER (WHERE state = 'running' AND run_at > now()) AS running,
       count(*) FILTER (WHERE state = 'failed') AS failed,
       extract(epoch FROM now() - min(run_at) FILTER (WHERE state <> 'failed' AND run_at <= now()))::float8 AS oldest_due_seconds
     FROM job WHERE kind = ANY($1::text[]) GROUP BY kind`,
    [kinds],
  );
  const byKind = new Map(rows.map((row) => [row.kind, row]));
  return kinds.map((kind) => {
    const row = byKind.get(kind);
    return {
      kind,
      due: Number(row?.due ?? 0),
      total: Number(row?.total ?? 0),
      running: Number(row?.running ?? 0),
      failedJobs: Number(row?.failed ?? 0),
      oldestDueSeconds: row?.oldest_due_seconds ?? 0,
      outcomes: { ...counters.of(kind) },
    };
  });
}
