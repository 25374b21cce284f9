import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { isForwarded } from '../process/forwarding.ts';
import { httpRequestDuration, httpRequests } from './process-metrics.ts';

/** The route label of a request no route matched (404, 405): one value, whatever the path. */
const UNMATCHED = 'unmatched';

function record(request: FastifyRequest, reply: FastifyReply, route: string): void {
  // The worker that received it counted it already, as its client saw it.
  if (isForwarded(request)) return;
  const labels = { method: request.method, route, status_code: String(reply.statusCode) };
  httpRequests.inc(labels);
  httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
}

/**
 * Counts and times every answered request by its route's template (never the path, which holds
 * ids), method and status. Each route gets a hook of its own that knows its template, rather
 * than read it from request.routeOptions, which Fastify builds anew, a dozen fields, on every
 * read. Callback hooks, as they run on every request.
 */
export function measureRequests(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const template = route.url;
    const measure: onResponseHookHandler = (request, reply, done) => {
      record(request, reply, template);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), measure];
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) record(request, reply, UNMATCHED);
    done();
  });
}
