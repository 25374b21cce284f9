import { setMaxListeners } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import { claimDue, closeAttempt, settle, type ClaimedDelivery, type NextStep } from './deliveries.ts';
import { deactivate, recordFailure, recordSuccess } from './health.ts';
import { send, type SendOutcome } from './sender.ts';
import { parseRetryAfter, retryDelay, type DeliveryTimings } from './timings.ts';
import { countWebhookAttempt } from '../metrics/process-metrics.ts';

export interface WorkerOptions {
  allowPrivate: boolean;
  timings: DeliveryTimings;
  log: FastifyBaseLogger;
}

/** Statuses whose Retry-After says when the receiver wants the next try. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const GONE = 410;

/**
 * Sends due deliveries, at least once each. Ownership lives in the database (a lease per
 * delivery), so any number of processes can run a worker against one database, and a process
 * that dies leaves nothing that another cannot pick up.
 */
export class DeliveryWorker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: Database,
    private readonly options: WorkerOptions,
  ) {
    // Every attempt in flight listens for the stop signal.
    setMaxListeners(options.timings.concurrency, this.stopping.signal);
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops claiming, cuts attempts in flight short and hands their deliveries back for an immediate retry. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.stopping.abort();
    await this.polling;
    await Promise.allSettled(this.inFlight);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => (this.polling = undefined));
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const { timings, log } = this.options;
    let found = 0;
    try {
      const free = timings.concurrency - this.inFlight.size;
      if (free > 0 && this.running) {
        const claimed = await claimDue(this.db, free, timings.leaseMs);
        found = claimed.length;
        for (const delivery of claimed) this.track(this.attempt(delivery));
      }
    } catch (error) {
      log.error({ err: error }, 'webhook worker could not claim deliveries');
    }
    // More may be due right behind the ones just claimed; otherwise wait for the next look.
    this.schedule(found > 0 ? 0 : timings.pollIntervalMs);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { timings, log, allowPrivate } = this.options;
    const attemptLog = log.child({ webhook_id: delivery.webhookId, delivery_id: delivery.id, attempt: delivery.attemptNumber });
    try {
      const outcome = await send(delivery, { allowPrivate, timeoutMs: timings.requestTimeoutMs, signal: this.stopping.signal });
      const delivered = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const next: NextStep = outcome.aborted ? { status: 'released' } : delivered ? { status: 'delivered' } : this.afterFailure(delivery, outcome);
      await this.db.transaction(async (tx) => {
        await closeAttempt(tx, delivery, outcome);
        const stillOurs = await settle(tx, delivery, next);
        if (!stillOurs || outcome.aborted) return;
        if (delivered) return recordSuccess(tx, delivery.tenantId, delivery.webhookId);
        await recordFailure(tx, delivery.tenantId, delivery.webhookId, timings);
        if (outcome.statusCode === GONE) await deactivate(tx, delivery.tenantId, delivery.webhookId, 'gone');
      });
      countWebhookAttempt(outcome, next.status);
      if (!delivered && !outcome.aborted) attemptLog.warn({ status: outcome.statusCode, error: outcome.error, next: next.status }, 'webhook attempt failed');
    } catch (error) {
      // The lease runs out and the delivery is tried again; nothing is lost.
      attemptLog.error({ err: error }, 'webhook attempt could not be recorded');
    }
  }

  private afterFailure(delivery: ClaimedDelivery, outcome: SendOutcome): NextStep {
    const { timings } = this.options;
    const retryStep = delivery.retryStep + 1;
    const backoff = retryDelay(timings, retryStep);
    if (backoff === undefined) return { status: 'failed' };
    const asked = outcome.statusCode !== undefined && RETRY_AFTER_STATUSES.has(outcome.statusCode) ? parseRetryAfter(outcome.retryAfter) : undefined;
    const retryInMs = asked === undefined ? backoff : Math.min(asked, timings.maxRetryAfterMs);
    return { status: 'pending', retryInMs, retryStep };
  }
}
