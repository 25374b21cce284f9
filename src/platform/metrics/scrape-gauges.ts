import type { FastifyBaseLogger } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import { ACTIVE_WEBHOOK } from '../webhooks/health.ts';
import { BULK_JOB } from '../bulk/processor.ts';
import type { ServerProcesses, WorkerCount } from '../process/primary.ts';
import type { QueueName } from './process-metrics.ts';

interface QueueRow {
  queue: QueueName;
  depth: number;
  oldest_due_seconds: number | null;
}

/**
 * Each queue's depth and the wait of its oldest item that is due and not being worked on, in
 * one statement over the queues' own tables, each read through the partial index that keeps
 * only its live rows. Webhook deliveries: pending ones, due once their next attempt's time has
 * come unless leased or their webhook is paused or gone. Bulk jobs: the bulk requests' jobs
 * pending or running, due once pending and their time has come (a running one's is its lease's
 * end). Electron movements: not yet recorded, due once their next attempt's time has come (a
 * leased one's is the end of its lease, an ACH transfer's its next settlement check).
 */
const QUEUES_SQL = `
  SELECT 'webhook_deliveries' AS queue, count(*)::integer AS depth,
    extract(epoch FROM now() - min(d.next_attempt_at) FILTER (
      WHERE d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now()) AND w.id IS NOT NULL AND ${ACTIVE_WEBHOOK}))::float8 AS oldest_due_seconds
  FROM webhook_delivery d LEFT JOIN nucleus_webhook w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
  WHERE d.status = 'pending'
  UNION ALL
  SELECT 'bulk_jobs', count(*)::integer, extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'pending' AND run_at <= now()))::float8
  FROM job WHERE state <> 'failed' AND kind = '${BULK_JOB}'
  UNION ALL
  SELECT 'electron_movements', count(*)::integer, extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now()))::float8
  FROM electron_money_movement WHERE state <> 'recorded'`;

/**
 * The metrics read when scraped rather than counted: the queues, from the database, so they are
 * right whichever process answers and the queues' code needs no hook; and the server's workers.
 * Read once per scrape by the process answering it, never gathered from every worker.
 */
export function scrapeGauges(db: Database, processes: ServerProcesses, log: FastifyBaseLogger): { registry: Registry; setReporting(count: number): void } {
  const registry = new Registry();
  // Both queue gauges are collected at once in a scrape: they share one statement.
  let reading: Promise<QueueRow[] | undefined> | undefined;
  const readQueues = () =>
    (reading ??= db
      .query<QueueRow>(QUEUES_SQL)
      .catch((error: unknown) => {
        log.warn({ err: error }, 'the queue metrics could not be read');
        return undefined;
      })
      .finally(() => (reading = undefined)));

  new Gauge({
    name: 'deuterium_queue_depth',
    help: 'Items waiting in each background queue, due or not, being worked on included',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await readQueues()) ?? []) this.set({ queue: row.queue }, row.depth);
    },
  });
  new Gauge({
    name: 'deuterium_queue_oldest_due_age_seconds',
    help: 'How long the oldest due item of each background queue has been waiting to be taken up; 0 when none is due',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await readQueues()) ?? []) this.set({ queue: row.queue }, Math.max(0, row.oldest_due_seconds ?? 0));
    },
  });

  let workers: Promise<WorkerCount | undefined> | undefined;
  const readWorkers = () => (workers ??= processes.workers().catch(() => undefined).finally(() => (workers = undefined)));
  new Gauge({
    name: 'deuterium_workers_configured',
    help: 'Server processes configured to serve HTTP (WORKERS)',
    registers: [registry],
    async collect() {
      const count = await readWorkers();
      if (count) this.set(count.configured);
    },
  });
  new Gauge({
    name: 'deuterium_workers_listening',
    help: 'Server processes serving HTTP now',
    registers: [registry],
    async collect() {
      const count = await readWorkers();
      if (count) this.set(count.listening);
    },
  });
  const reporting = new Gauge({
    name: 'deuterium_metrics_reporting_processes',
    help: "Server processes whose own metrics this scrape holds (each labelled worker in a cluster); fewer than listening when one did not answer in time",
    registers: [registry],
  });
  return { registry, setReporting: (count) => reporting.set(count) };
}
