import type { FastifyInstance } from 'fastify';
import { isForwarded } from '../process/forwarding.ts';
import { httpRequestDuration, httpRequests } from './process-metrics.ts';

/** The route label of a request no route matched (404, 405): one value, whatever the path. */
const UNMATCHED = 'unmatched';

/**
 * Counts and times every answered request by its route's template (never the path, which holds
 * ids), method and status. A callback hook doing two map updates: it runs on every request.
 */
export function measureRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The worker that received it counted it already, as its client saw it.
    if (isForwarded(request)) return done();
    const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED, status_code: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
