import { setMaxListeners } from 'node:events';
import type { Database, Queryable } from '../db/database.ts';
import { JobCounters, jobFigures, type JobFigures } from './figures.ts';
import { invariant } from './invariants.ts';
import { failure, LeaseLost, type ClaimedJob, type JobContext, type JobKind, type JobOutcome, type Transition } from './kind.ts';
import { JobQueue, type NewJob } from './queue.ts';
import { nextTransition } from './retry.ts';

interface Log {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface JobEngineOptions {
  log: Log;
  /** How often to look for due jobs when no kind asks for less; 1 s by default. */
  pollIntervalMs?: number;
  /** Has the worker look for due jobs now, wherever it runs (the lead, in a cluster); this engine's own by default. */
  wakeWorker?: () => void;
}

interface Running {
  kind: string;
  done: Promise<unknown>;
}

function unlimitedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The one durable job engine: every kind of background work (webhook deliveries, bulk jobs,
 * Electron movements, the retention sweep) is a row of the job table, claimed with SKIP LOCKED
 * under a lease, retried with backoff and jitter by its kind's policy, and handed back on stop.
 * Every process has one, to queue jobs and to run the ones its requests claim themselves;
 * only the lead's is started, to poll (process/lead.ts).
 */
export class JobEngine {
  readonly queue: JobQueue;
  private readonly kinds = new Map<string, JobKind<never>>();
  private readonly counters = new JobCounters();
  private readonly running = new Map<string, Running>();
  /** Aborted by stop; every run in flight, the worker's and the requests' own, listens to it. */
  private stopping = unlimitedController();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;

  constructor(
    private readonly db: Database,
    private readonly options: JobEngineOptions,
  ) {
    this.queue = new JobQueue(db);
  }

  register<P>(kind: JobKind<P>): void {
    invariant(!this.kinds.has(kind.kind), `a job kind "${kind.kind}" is already registered`);
    this.kinds.set(kind.kind, kind as unknown as JobKind<never>);
  }

  private kindOf(name: string): JobKind<never> {
    const kind = this.kinds.get(name);
    invariant(kind, `no job kind "${name}" is registered`);
    return kind;
  }

  /** Queues a job in the caller's transaction (queue.ts); false when one with that id is already there. */
  enqueue(tx: Queryable, job: NewJob): Promise<boolean> {
    this.kindOf(job.kind);
    return this.queue.enqueue(tx, job);
  }

  /** Queues a job claimed by the caller, who runs it at once with runHere. */
  enqueueHeld(tx: Queryable, job: NewJob & { id: string }): Promise<ClaimedJob> {
    return this.queue.enqueueHeld(tx, job, this.kindOf(job.kind).leaseMs);
  }

  requeue(tx: Queryable, job: NewJob & { id: string }): Promise<boolean> {
    this.kindOf(job.kind);
    return this.queue.requeue(tx, job);
  }

  /** Claims one job of `kind` for the caller to run with runHere, if it is due and nobody holds it. */
  claimOne(kind: string, tenantId: string, id: string): Promise<ClaimedJob | undefined> {
    return this.queue.claimOne(tenantId, id, this.kindOf(kind).leaseMs);
  }

  /** Has the worker look for due jobs now, wherever it runs; e.g. right after one was queued. */
  nudge(): void {
    (this.options.wakeWorker ?? (() => this.wake()))();
  }

  /** Per kind: depth, the oldest due job's wait, and this process's outcome counts (figures.ts). */
  figures(): Promise<JobFigures[]> {
    return jobFigures(this.db, [...this.kinds.keys()], this.counters);
  }

  /**
   * Runs a job the caller claimed itself (enqueueHeld, claimOne) as the worker would: lease
   * renewed while it runs, its outcome settled under the lease. What `run` throws is settled
   * as a failure and then thrown on to the caller. Resolves with the job's next transition,
   * or undefined when another worker took the job over.
   */
  runHere<P>(job: ClaimedJob<P>, run?: (context: JobContext) => Promise<JobOutcome>): Promise<Transition | undefined> {
    const kind = this.kindOf(job.kind);
    return this.execute(kind, job as ClaimedJob<never>, run ?? ((context) => kind.run(job as ClaimedJob<never>, context)), true);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = unlimitedController();
    this.wake();
  }

  /** Looks for due jobs now rather than at the next tick. */
  wake(): void {
    if (!this.started) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = this.poll()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'job poll failed'))
      .finally(() => {
        this.polling = undefined;
        if (!this.started) return;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.pollIntervalMs());
          this.timer.unref();
        }
      });
  }

  /**
   * Stops claiming, asks running jobs to stop after their current step and waits for them;
   * each hands its job back, so the next start resumes it without waiting for its lease.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.polling;
    this.stopping.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private pollIntervalMs(): number {
    const asked = [...this.kinds.values()].map((k) => k.pollIntervalMs).filter((ms): ms is number => ms !== undefined);
    return Math.min(this.options.pollIntervalMs ?? 1000, ...asked);
  }

  private async poll(): Promise<void> {
    const busy = (name: string) => [...this.running.values()].filter((r) => r.kind === name).length;
    const wants = [...this.kinds.values()].map((k) => ({ kind: k.kind, limit: k.concurrency - busy(k.kind), leaseMs: k.leaseMs }));
    const claimed = await this.queue.claim(wants);
    for (const job of claimed) {
      const kind = this.kindOf(job.kind);
      const key = `${job.tenantId}/${job.id}`;
      invariant(!this.running.has(key), `job ${key} claimed while this worker runs it`);
      const done = this.execute(kind, job as ClaimedJob<never>, (context) => kind.run(job as ClaimedJob<never>, context), false).finally(() => {
        this.running.delete(key);
        this.wake();
      });
      this.running.set(key, { kind: job.kind, done });
    }
    // Every free slot filled: more may be due right behind them.
    if (claimed.length > 0 && claimed.length === wants.reduce((sum, w) => sum + Math.max(0, w.limit), 0)) this.pollAgain = true;
  }

  private async execute(kind: JobKind<never>, job: ClaimedJob<never>, run: (context: JobContext) => Promise<JobOutcome>, rethrow: boolean): Promise<Transition | undefined> {
    const { log } = this.options;
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.stopping.signal.addEventListener('abort', stop, { once: true });
    // Renewed well before it runs out, so a slow but live job is never taken over.
    const heartbeat = setInterval(() => {
      this.queue.extend(job, kind.leaseMs).then(
        (held) => held || controller.abort(),
        (error: unknown) => log.warn({ err: error, job: job.id, kind: job.kind }, 'could not extend a job lease'),
      );
    }, kind.leaseMs / 3);
    heartbeat.unref();
    let outcome: JobOutcome;
    let thrown: { error: unknown } | undefined;
    try {
      outcome = await run({ signal: controller.signal, fenced: (work) => this.queue.fenced(job, work) });
    } catch (error) {
      thrown = { error };
      outcome = failure(messageOf(error));
    } finally {
      clearInterval(heartbeat);
      this.stopping.signal.removeEventListener('abort', stop);
    }
    if (thrown?.error instanceof LeaseLost) {
      if (rethrow) throw thrown.error;
      return undefined;
    }
    let next: Transition | undefined;
    try {
      next = await this.settle(kind, job, outcome, thrown);
    } catch (error) {
      // The lease runs out and the job is run again; nothing better can be done without the database.
      log.error({ err: error, job: job.id, kind: job.kind }, 'could not settle a job');
      if (rethrow && !thrown) throw error;
    }
    if (thrown && rethrow) throw thrown.error;
    return next;
  }

  /** Settles a run under its lease and counts it; undefined when the lease was lost. */
  private async settle(kind: JobKind<never>, job: ClaimedJob<never>, outcome: JobOutcome, thrown: { error: unknown } | undefined): Promise<Transition | undefined> {
    const next = nextTransition(outcome, job.attempts, kind.retry);
    const { record } = outcome;
    const failed = next.to === 'failed' ? kind.failed : undefined;
    const held = await this.queue.settle(
      job,
      next,
      record || failed
        ? async (tx, settled) => {
            await record?.(tx, settled);
            if (settled.to === 'failed') await failed?.(tx, job, settled.error);
          }
        : undefined,
    );
    if (!held) return undefined;
    this.counters.count(job.kind, next);
    const details = { job: job.id, kind: job.kind, attempts: job.attempts, ...(thrown ? { err: thrown.error } : {}) };
    if (next.to === 'failed') this.options.log.error({ ...details, error: next.error }, 'job failed for good');
    else if (next.to === 'pending' && next.why === 'retry') this.options.log.warn({ ...details, error: next.error, retry_in_ms: next.inMs }, 'job failed; will retry');
    return next;
  }
}
