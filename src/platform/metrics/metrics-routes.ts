import Fastify, { type FastifyInstance, type FastifyReply, type RouteHandlerMethod, type RouteShorthandOptions } from 'fastify';
import type { JobEngine } from '../jobs/engine.ts';
import { errors } from '../http/errors.ts';
import { registerErrorHandling } from '../http/error-handling.ts';
import { errorResponses } from '../openapi/shared-schemas.ts';
import type { ServerProcesses } from '../process/primary.ts';
import { collectProcessMetrics } from './process-metrics.ts';
import { scrapeGauges } from './scrape-gauges.ts';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsOptions {
  jobs: JobEngine;
  processes: ServerProcesses;
  /** METRICS_PORT: where /metrics is served on 127.0.0.1 without a token, besides the main port; null for nowhere else. */
  port: number | null;
  /** Adds to the scope of /metrics on the main port what its callers must pass: a token whose credential has the metrics app. */
  protect: (scope: FastifyInstance) => Promise<void>;
}

const routeOptions: RouteShorthandOptions = {
  schema: {
    tags: ['Operations'],
    summary: 'Prometheus metrics of the whole server',
    description:
      "Every server process's own metrics (labelled worker in a cluster), and the background queues read from the database. " +
      'Needs a token of a credential granted the metrics app (docs/access-control.md); METRICS_PORT serves it on loopback without one.',
    response: {
      200: { description: 'The Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
      ...errorResponses,
    },
  },
};

/**
 * GET /metrics (request-metrics.ts feeds its request counters). A scrape holds the process metrics
 * of every server process (gathered through the primary in a cluster, process/primary.ts), and
 * the gauges read once, here, from the database (scrape-gauges.ts).
 */
export async function registerMetrics(app: FastifyInstance, { jobs, processes, port, protect }: MetricsOptions): Promise<void> {
  collectProcessMetrics();
  const gauges = scrapeGauges(jobs, processes, app.log);
  const scrape = async (): Promise<string> => {
    const gathered = await processes.metrics().catch((error: unknown) => {
      app.log.warn({ err: error }, "the server processes' metrics could not be gathered");
      throw errors.metricsUnavailable({});
    });
    gauges.setReporting(gathered.processes);
    return gathered.text + (await gauges.registry.metrics());
  };
  const handler: RouteHandlerMethod = async (_request, reply: FastifyReply) => reply.type(CONTENT_TYPE).send(await scrape());

  await app.register(async (scope) => {
    await protect(scope);
    scope.get('/metrics', routeOptions, handler);
  });
  if (port !== null) loopbackListener(app, port, handler);
}

/**
 * The listener of METRICS_PORT: only /metrics, without a token, on 127.0.0.1, for a Prometheus
 * on the same host (or a sidecar). Started with the app, so that a port in use stops the
 * server's start as the main port would; closed with it.
 */
function loopbackListener(app: FastifyInstance, port: number, handler: RouteHandlerMethod): void {
  const listener = Fastify({ loggerInstance: app.log, forceCloseConnections: true });
  registerErrorHandling(listener);
  listener.get('/metrics', handler);
  app.addHook('onReady', async () => {
    await listener.listen({ host: '127.0.0.1', port });
  });
  app.addHook('onClose', async () => listener.close());
}
