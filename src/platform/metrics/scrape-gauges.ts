import type { FastifyBaseLogger } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { JobEngine } from '../jobs/engine.ts';
import type { JobFigures } from '../jobs/figures.ts';
import type { ServerProcesses, WorkerCount } from '../process/primary.ts';

/**
 * The metrics read when scraped rather than counted: the job queue's depth and the wait of its
 * oldest due job per kind, from the database (jobs/figures.ts), so they are right whichever
 * process answers; and the server's workers. Read once per scrape by the process answering it,
 * never gathered from every worker.
 */
export function scrapeGauges(jobs: JobEngine, processes: ServerProcesses, log: FastifyBaseLogger): { registry: Registry; setReporting(count: number): void } {
  const registry = new Registry();
  // Both queue gauges are collected at once in a scrape: they share one statement.
  let reading: Promise<JobFigures[] | undefined> | undefined;
  const readQueues = () =>
    (reading ??= jobs
      .figures()
      .catch((error: unknown) => {
        log.warn({ err: error }, 'the queue metrics could not be read');
        return undefined;
      })
      .finally(() => (reading = undefined)));

  new Gauge({
    name: 'deuterium_queue_depth',
    help: 'Jobs of each kind not failed for good: due, scheduled later or running',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const figures of (await readQueues()) ?? []) this.set({ queue: figures.kind }, figures.total);
    },
  });
  new Gauge({
    name: 'deuterium_queue_oldest_due_age_seconds',
    help: 'How long the oldest due job of each kind has been waiting past its due time; 0 when none is due',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const figures of (await readQueues()) ?? []) this.set({ queue: figures.kind }, Math.max(0, figures.oldestDueSeconds));
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
