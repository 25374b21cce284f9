import type { FastifyBaseLogger, FastifyInstance, onResponseHookHandler } from 'fastify';
import type { Database } from '../db/database.ts';
import { isForwarded } from '../process/forwarding.ts';

/** How long a process keeps its counts before adding them to the table: another process's requests show this late at most. */
export const FLUSH_INTERVAL_MS = 5_000;

interface Tally {
  tenantId: string;
  day: string;
  api: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
}

const DAY_MS = 86_400_000;

/** The API a route belongs to: the first segment of its template (/nucleus/v1/... is nucleus). */
function apiOf(template: string): string {
  return template.split('/')[1] ?? '';
}

/**
 * Counts the answered requests of authenticated API callers, by tenant, UTC day and API, with
 * the 4xx and 5xx among them. Counts wait in memory and are added to `request_count` every
 * FLUSH_INTERVAL_MS, and at close: a count per request would cost a write per request.
 * Requests refused before the caller was known (no or a bad token) belong to no tenant and are
 * not counted.
 */
export class RequestCounter {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** The UTC day counts now go to, and when it ends: worked out once a day, not per request. */
  private today = { day: '', endsAt: 0 };

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
  ) {}

  record(tenantId: string, api: string, status: number): void {
    const day = this.day();
    const key = `${tenantId} ${day} ${api}`;
    let tally = this.tallies.get(key);
    if (!tally) this.tallies.set(key, (tally = { tenantId, day, api, requests: 0, clientErrors: 0, serverErrors: 0 }));
    tally.requests++;
    if (status >= 500) tally.serverErrors++;
    else if (status >= 400) tally.clientErrors++;
  }

  private day(): string {
    const now = Date.now();
    if (now >= this.today.endsAt) {
      const start = now - (now % DAY_MS);
      this.today = { day: new Date(start).toISOString().slice(0, 10), endsAt: start + DAY_MS };
    }
    return this.today.day;
  }

  /** Adds what this process counted to the table; one flush at a time, so none is counted twice. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const tallies = [...this.tallies.values()];
    if (tallies.length === 0) return;
    this.tallies = new Map();
    try {
      await this.db.query(
        `INSERT INTO request_count AS c (tenant_id, day, api, requests, client_errors, server_errors)
         SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
         ON CONFLICT (tenant_id, day, api) DO UPDATE SET
           requests = c.requests + excluded.requests,
           client_errors = c.client_errors + excluded.client_errors,
           server_errors = c.server_errors + excluded.server_errors`,
        [
          tallies.map((t) => t.tenantId),
          tallies.map((t) => t.day),
          tallies.map((t) => t.api),
          tallies.map((t) => t.requests),
          tallies.map((t) => t.clientErrors),
          tallies.map((t) => t.serverErrors),
        ],
      );
    } catch (error) {
      // Kept for the next flush rather than lost; a tenant deleted meanwhile loses its counts there.
      this.log.warn({ err: error }, 'request counts could not be written; they are kept for the next try');
      for (const t of tallies) {
        const key = `${t.tenantId} ${t.day} ${t.api}`;
        const now = this.tallies.get(key);
        if (now) {
          now.requests += t.requests;
          now.clientErrors += t.clientErrors;
          now.serverErrors += t.serverErrors;
        } else this.tallies.set(key, t);
      }
    }
  }

  /**
   * Counts every authenticated request the app's routes answer, and writes the counts while the
   * app runs. Each route gets a callback hook of its own that knows its API, as the request
   * metrics do (request-metrics.ts): it runs on every request. A request another worker
   * forwarded was counted there, as its caller sent it.
   */
  attach(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const api = apiOf(route.url);
      const count: onResponseHookHandler = (request, reply, done) => {
        if (request.auth && !isForwarded(request)) this.record(request.auth.tenantId, api, reply.statusCode);
        done();
      };
      route.onResponse = [...[route.onResponse ?? []].flat(), count];
    });
    app.addHook('onReady', async () => {
      this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(this.timer);
      await this.flush();
    });
  }
}
