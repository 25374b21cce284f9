import type { FastifyBaseLogger } from 'fastify';
import type { JobEngine } from '../jobs/engine.ts';
import type { EntityWriter } from '../entity/writer.ts';
import { done, failure, handBack, type JobKind } from '../jobs/kind.ts';
import { parseRetryAfter } from '../jobs/retry.ts';
import { closeAttempt, openAttempt, settleDelivery, stillSendable, WEBHOOK_DELIVERY_JOB } from './deliveries.ts';
import { deactivate, recordFailure, recordSuccess } from './health.ts';
import { countWebhookAttempt } from '../metrics/process-metrics.ts';
import { send } from './sender.ts';
import { webhookRetryPolicy, type DeliveryTimings } from './timings.ts';

export interface DeliveryJobOptions {
  writer: EntityWriter;
  allowPrivate: boolean;
  timings: DeliveryTimings;
  log: FastifyBaseLogger;
}

/** Statuses whose Retry-After says when the receiver wants the next try. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const GONE = 410;

/**
 * Sends a delivery, at least once. The job engine leases, retries and hands it back; the
 * delivery's own states (pending, delivered, failed) and attempts are written in the same
 * transaction as the job's transition, so the two never disagree.
 */
export function deliveryJobKind(jobs: JobEngine, { writer, allowPrivate, timings, log }: DeliveryJobOptions): JobKind {
  return {
    kind: WEBHOOK_DELIVERY_JOB,
    retry: webhookRetryPolicy(timings),
    leaseMs: timings.leaseMs,
    concurrency: timings.concurrency,
    pollIntervalMs: timings.pollIntervalMs,
    async run(job, { signal, fenced }) {
      const delivery = await fenced((tx) => openAttempt(tx, job.tenantId, job.id));
      // Settled or cancelled meanwhile, or its webhook is inactive: switching it on queues it again.
      if (!delivery) {
        return done(async (tx) => {
          if (await stillSendable(tx, job.tenantId, job.id)) await jobs.enqueue(tx, { tenantId: job.tenantId, id: job.id, kind: WEBHOOK_DELIVERY_JOB });
        });
      }
      const outcome = await send(delivery, { allowPrivate, timeoutMs: timings.requestTimeoutMs, signal });
      countWebhookAttempt(outcome);
      if (outcome.aborted) return handBack((tx) => closeAttempt(tx, delivery, outcome));
      if (outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300) {
        return done(async (tx, next) => {
          await closeAttempt(tx, delivery, outcome);
          await settleDelivery(tx, delivery, next);
          await recordSuccess(tx, delivery.tenantId, delivery.webhookId);
        });
      }
      log.warn({ webhook_id: delivery.webhookId, delivery_id: delivery.id, attempt: delivery.attemptNumber, status: outcome.statusCode, error: outcome.error }, 'webhook attempt failed');
      const asked = outcome.statusCode !== undefined && RETRY_AFTER_STATUSES.has(outcome.statusCode) ? parseRetryAfter(outcome.retryAfter) : undefined;
      return failure(outcome.error ?? `answered ${outcome.statusCode}`, {
        ...(asked === undefined ? {} : { retryAfterMs: asked }),
        record: async (tx, next) => {
          await closeAttempt(tx, delivery, outcome);
          await settleDelivery(tx, delivery, next);
          const failing = await recordFailure(tx, delivery.tenantId, delivery.webhookId, timings);
          const pause = outcome.statusCode === GONE ? 'gone' : failing ? 'failing' : undefined;
          if (pause) {
            const attempt = { tenantId: delivery.tenantId, webhookId: delivery.webhookId, jobKind: WEBHOOK_DELIVERY_JOB, jobId: job.id };
            await deactivate(tx, writer, attempt, pause);
          }
        },
      });
    },
  };
}
