import { NodeSDK } from '@opentelemetry/sdk-node';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SECRET_QUERY_PARAMS } from '../logging/log-options.ts';
import { PROBE_PATHS, tagRequestSpans, tagCallerOnSend } from './request-spans.ts';

/** The instrumentations' own defaults (signed cloud storage URLs), which the lists below replace. */
const CLOUD_SIGNATURE_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];

function isProbe(path: string | undefined): boolean {
  return PROBE_PATHS.has((path ?? '').split('?', 1)[0]!);
}

/**
 * Starts the OpenTelemetry Node SDK: traces of incoming requests (node:http and Fastify's routes),
 * of the PostgreSQL statements run for them and of outgoing HTTP requests (webhook deliveries),
 * sent with OTLP to OTEL_EXPORTER_OTLP_ENDPOINT. Everything else the SDK reads from the standard
 * OTEL_* variables (protocol, headers, sampler, batching, resource attributes).
 *
 * Must run before pg, fastify and node:http are first imported: the instrumentations patch them
 * as they load. main.ts imports this module, only when tracing is asked for, before the server.
 */
export function startTracing(): NodeSDK {
  const fastify = new FastifyOtelInstrumentation({
    // Fastify announces each instance it creates (diagnostics_channel), so app.ts need not know of tracing.
    registerOnInitialization: true,
    // A span per hook would multiply a request's spans by the dozen hooks every request runs.
    instrumentHooks: false,
    ignorePaths: ({ url }) => isProbe(url),
    requestHook: tagRequestSpans,
  });
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the SDK's detectors, win over this.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': 'deuterium' })),
    // Traces only: metrics are Prometheus's (/metrics) and logs pino's, each with its own reader.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => isProbe(request.url),
        redactedQueryParamsServer: [...CLOUD_SIGNATURE_PARAMS, ...SECRET_QUERY_PARAMS],
        redactedQueryParams: [...CLOUD_SIGNATURE_PARAMS, ...SECRET_QUERY_PARAMS],
      }),
      fastify,
      new PgInstrumentation({
        // Only statements run for a request (or another span): the job engine's polls would each be a trace of their own.
        requireParentSpan: true,
        // Statement values can be anything a caller sent, secrets included; the text has only placeholders.
        enhancedDatabaseReporting: false,
      }),
    ],
  });
  sdk.start();
  tagCallerOnSend();
  return sdk;
}
