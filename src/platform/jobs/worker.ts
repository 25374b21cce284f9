import type { ClaimedJob, JobQueue } from './queue.ts';

export interface JobContext {
  /**
   * Aborted when the worker stops or the lease is lost. A handler checks it between steps and
   * returns early; the job is then picked up again, so steps must be safe to repeat.
   */
  signal: AbortSignal;
}

export interface JobHandler<P = unknown> {
  kind: string;
  /** Returning ends the job; throwing schedules a retry until the attempts are used up. */
  run(job: ClaimedJob<P>, context: JobContext): Promise<void>;
  /** Called once when the job has failed its last attempt. */
  giveUp?(job: ClaimedJob<P>, error: unknown): Promise<void>;
}

interface Log {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface JobWorkerOptions {
  log: Log;
  /** How often to look for due jobs when nothing wakes the worker; 1 s by default. */
  pollIntervalMs?: number;
  /** Jobs run at once by this worker; 4 by default. */
  concurrency?: number;
  /** Runs before a failing job is given up; 5 by default. */
  maxAttempts?: number;
  /** Wait before the next run of a failed job; exponential from 1 s, capped at 5 min, by default. */
  retryDelayMs?: (attempts: number) => number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** Polls the queue and runs the jobs of the kinds registered with it. */
export class JobWorker {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly running = new Map<string, Running>();
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempts: number) => number;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly options: JobWorkerOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? ((attempts) => Math.min(1000 * 2 ** (attempts - 1), 300_000));
  }

  register<P>(handler: JobHandler<P>): void {
    if (this.handlers.has(handler.kind)) throw new Error(`a job handler for "${handler.kind}" is already registered`);
    this.handlers.set(handler.kind, handler as JobHandler<never>);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.wake();
  }

  /** Looks for due jobs now rather than at the next tick, e.g. right after one was enqueued. */
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
          this.timer = setTimeout(() => this.wake(), this.pollIntervalMs);
          this.timer.unref();
        }
      });
  }

  /**
   * Stops claiming, asks running jobs to stop after their current step and waits for them;
   * each is handed back to the queue so the next start resumes it without waiting for its lease.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.polling;
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async poll(): Promise<void> {
    const free = this.concurrency - this.running.size;
    if (free <= 0) return;
    for (const job of await this.queue.claim([...this.handlers.keys()], free)) {
      const controller = new AbortController();
      const key = `${job.tenantId}/${job.id}`;
      const done = this.execute(job, controller).finally(() => {
        this.running.delete(key);
        this.wake();
      });
      this.running.set(key, { controller, done });
    }
  }

  private async execute(job: ClaimedJob, controller: AbortController): Promise<void> {
    const handler = this.handlers.get(job.kind)!;
    // Renewed well before it runs out, so a slow but live job is never taken over.
    const heartbeat = setInterval(() => {
      this.queue.extend(job).then(
        (held) => held || controller.abort(),
        (error: unknown) => this.options.log.warn({ err: error, job: job.id }, 'could not extend a job lease'),
      );
    }, this.queue.leaseMs / 3);
    heartbeat.unref();
    try {
      await handler.run(job as ClaimedJob<never>, { signal: controller.signal });
      await (controller.signal.aborted ? this.queue.release(job) : this.queue.complete(job));
    } catch (error) {
      await this.failed(handler, job, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async failed(handler: JobHandler<never>, job: ClaimedJob, error: unknown): Promise<void> {
    const last = job.attempts >= this.maxAttempts;
    this.options.log.error({ err: error, job: job.id, kind: job.kind, attempts: job.attempts }, last ? 'job failed for good' : 'job failed; will retry');
    try {
      const held = await this.queue.fail(job, error instanceof Error ? error.message : String(error), last ? null : this.retryDelayMs(job.attempts));
      // A worker that lost the lease leaves the verdict to the one that took the job over.
      if (last && held) await handler.giveUp?.(job as ClaimedJob<never>, error);
    } catch (recordError) {
      // The lease runs out and the job is retried; nothing better can be done without the database.
      this.options.log.error({ err: recordError, job: job.id }, 'could not record a job failure');
    }
  }
}
