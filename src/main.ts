import cluster from 'node:cluster';
import { loadConfig } from './config.ts';

/**
 * Traces are sent when an OTLP endpoint is given, by the processes that serve requests (not a
 * cluster's primary, which only supervises). Without one nothing of OpenTelemetry is loaded.
 */
function tracingWanted(): boolean {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return Boolean(endpoint) && (cluster.isWorker || loadConfig().workers === 1);
}

if (tracingWanted()) {
  // Started before the server's modules are imported: the instrumentations patch pg, fastify and node:http as they load.
  const { startTracing } = await import('./platform/tracing/tracing.ts');
  const sdk = startTracing();
  // Sends the spans still batched while the server drains; server-process.ts exits once it has.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sdk.shutdown());
}
await import('./server-process.ts');
