import type { Queryable } from '../db/database.ts';
import type { RetryPolicy } from './retry.ts';

/** What proves a worker still holds a job: every change after the claim is made under it. */
export interface JobLease {
  tenantId: string;
  id: string;
  leaseToken: string;
}

/** A job one worker holds the lease of. */
export interface ClaimedJob<P = unknown> extends JobLease {
  kind: string;
  payload: P;
  /** Runs since the job was queued or last made progress, this one included; picks the retry delay. */
  attempts: number;
}

/** Where a settled job goes; decided by retry.ts from the run's outcome. */
export type Transition =
  | { to: 'done' }
  | { to: 'pending'; why: 'retry' | 'later' | 'handed back'; inMs: number; attempts: number; error?: string }
  | { to: 'failed'; error: string };

/**
 * Domain writes made in the same transaction as the job's transition, under its lease: the
 * delivery or movement state and the job's own state commit together or not at all.
 */
export type Recorder = (tx: Queryable, next: Transition) => Promise<void>;

/** How a run ended, as its handler says. */
export type JobOutcome = (
  | { outcome: 'done' }
  /** Not a failure: there is more to do after `inMs` (an ACH transfer to look at again, the next sweep). */
  | { outcome: 'later'; inMs: number }
  /** A failure: retried after the policy's delay, or after `retryAfterMs` when the other side asked for it. */
  | { outcome: 'failure'; error: string; retryAfterMs?: number }
  /** A failure that retrying cannot mend. */
  | { outcome: 'give up'; error: string }
  /** Cut short because the worker is stopping: run again at once, the run not counted. */
  | { outcome: 'hand back' }
) & { record?: Recorder };

export const done = (record?: Recorder): JobOutcome => ({ outcome: 'done', record });
export const later = (inMs: number, record?: Recorder): JobOutcome => ({ outcome: 'later', inMs, record });
export const failure = (error: string, options: { retryAfterMs?: number; record?: Recorder } = {}): JobOutcome => ({ outcome: 'failure', error, ...options });
export const giveUp = (error: string, record?: Recorder): JobOutcome => ({ outcome: 'give up', error, record });
export const handBack = (record?: Recorder): JobOutcome => ({ outcome: 'hand back', record });

export interface JobContext {
  /**
   * Aborted when the worker stops or the lease is lost. A handler checks it between steps and
   * hands the job back; the job is then picked up again, so steps must be safe to repeat.
   */
  signal: AbortSignal;
  /** Runs `work` in a transaction that holds the job's lease; throws LeaseLost when another worker took the job over. */
  fenced<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** One kind of job: how to run it, retry it and pace it. */
export interface JobKind<P = unknown> {
  kind: string;
  run(job: ClaimedJob<P>, context: JobContext): Promise<JobOutcome>;
  retry: RetryPolicy;
  /** How long a claim holds the job; the worker renews it every third of that while the job runs. */
  leaseMs: number;
  /** Jobs of this kind run at once by one worker, so one slow kind cannot take every slot. */
  concurrency: number;
  /**
   * How soon a job queued without waking the worker (by another server, or by a write's own
   * statement) must be noticed; the worker looks as often as its most impatient kind asks.
   */
  pollIntervalMs?: number;
  /** Runs in the transaction that gives a job up for good, for what must say so (a bulk's status). */
  failed?(tx: Queryable, job: ClaimedJob<P>, error: string): Promise<void>;
}

/** Thrown by a fenced change when another worker has taken the job over: it finishes the job. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}
