import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { later } from '../jobs/kind.ts';
import { NO_TENANT } from '../jobs/queue.ts';
import { exponentialBackoff } from '../jobs/retry.ts';
import type { LeadLink } from '../process/lead.ts';
import { sweepExpired, type RetentionPolicy } from './sweep.ts';

export interface RetentionOptions extends RetentionPolicy {
  db: Database;
  jobs: JobEngine;
  lead: LeadLink;
  intervalMs: number;
}

const RETENTION_SWEEP_JOB = 'retention-sweep';
const QUEUE_RETRY_MS = 60_000;
/** The sweep's one job, for every tenant: servers sharing a database take turns, never sweep at once. */
const SWEEP_JOB_ID = '00000000-0000-4000-8000-000000000900';

/**
 * Sweeps expired rows as a job of the job engine: once when the lead starts and then every
 * intervalMs. A sweep that fails is logged and tried again at the next interval; it never
 * stops the server.
 */
export const retentionPlugin: FastifyPluginAsync<RetentionOptions> = async (app, { db, jobs, lead, intervalMs, ...policy }) => {
  const log = app.log.child({ component: 'retention' });
  jobs.register({
    kind: RETENTION_SWEEP_JOB,
    retry: exponentialBackoff({ firstMs: intervalMs, factor: 1, maxMs: intervalMs, jitter: 0 }),
    leaseMs: 60_000,
    concurrency: 1,
    async run() {
      const counts = await sweepExpired(db, policy);
      const removed = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      if (Object.keys(removed).length > 0) log.info({ removed }, 'expired rows removed');
      return later(intervalMs);
    },
  });
  if (!lead.isLead) return;
  // A database that cannot be reached at start must not keep the server from starting (/ready
  // says what is wrong): the sweep is queued as soon as it can be.
  let retry: NodeJS.Timeout | undefined;
  const queueSweep = async (): Promise<void> => {
    try {
      await jobs.requeue(db, { tenantId: NO_TENANT, id: SWEEP_JOB_ID, kind: RETENTION_SWEEP_JOB });
      jobs.nudge();
    } catch (error) {
      log.warn({ err: error }, 'could not queue the retention sweep; trying again in a minute');
      retry = setTimeout(() => void queueSweep(), QUEUE_RETRY_MS);
      retry.unref();
    }
  };
  app.addHook('onReady', queueSweep);
  app.addHook('onClose', async () => clearTimeout(retry));
};
