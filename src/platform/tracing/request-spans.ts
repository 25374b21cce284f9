import dc from 'node:diagnostics_channel';
import { trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Asked every few seconds by load balancers, orchestrators and Prometheus: a trace each would drown the rest. */
export const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);

export const REQUEST_ID_ATTRIBUTE = 'deuterium.request_id';
export const TENANT_ATTRIBUTE = 'deuterium.tenant_id';
export const CREDENTIAL_ATTRIBUTE = 'deuterium.credential_id';

/** The node:http server span of each request, which backends show as the request; Fastify's is its child. */
const serverSpans = new WeakMap<FastifyRequest, Span>();

/**
 * Called by @fastify/otel as it starts a request's span, while the node:http server span is still
 * the active one. Both get the request id, as the log lines and X-Request-Id have it. Fastify's
 * span is given the path without its query, which may hold a password or a client secret (the
 * token endpoint takes them there); the server span's query is redacted by the http
 * instrumentation.
 */
export function tagRequestSpans(span: Span, request: FastifyRequest): void {
  const server = trace.getActiveSpan() ?? span;
  serverSpans.set(request, server);
  server.setAttribute(REQUEST_ID_ATTRIBUTE, request.id);
  span.setAttribute(REQUEST_ID_ATTRIBUTE, request.id);
  span.setAttribute('url.path', request.url.split('?', 1)[0]!);
}

/**
 * The caller is known once its token or, at the token endpoint, its client credentials are
 * checked, and is then on the request's log bindings (tagLog): its tenant and credential ids,
 * never a secret. Read as the answer is sent, before either span ends.
 */
function tagCaller(request: FastifyRequest): void {
  const server = serverSpans.get(request);
  if (!server) return;
  const { tenant, credential } = (request.log as Logger).bindings() as { tenant?: string; credential?: string };
  if (tenant) server.setAttribute(TENANT_ATTRIBUTE, tenant);
  if (credential) server.setAttribute(CREDENTIAL_ATTRIBUTE, credential);
}

/** Adds tagCaller to every Fastify instance as it is created, as @fastify/otel adds its own hooks. */
export function tagCallerOnSend(): void {
  dc.subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onSend', (request, _reply, payload, done) => {
      tagCaller(request);
      done(null, payload);
    });
  });
}
