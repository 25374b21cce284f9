import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram } from 'prom-client';

/**
 * The metrics one server process counts, in prom-client's global registry: a process has one
 * set of them whichever app or database it serves, as it has one CPU time, and the places that
 * count (a query, a webhook attempt, a chain call) are far from any app. In a cluster each
 * worker's are gathered by the primary for a scrape (process/primary.ts). No label holds an id
 * or anything a caller chooses: routes are templates, and every other label is a fixed set.
 */

let collectingDefaults = false;

/** Adds the standard process metrics (process_*, nodejs_*) once, in the processes that serve: not the operator tool's. */
export function collectProcessMetrics(): void {
  if (collectingDefaults) return;
  collectingDefaults = true;
  collectDefaultMetrics();
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const httpLabels = ['method', 'route', 'status_code'] as const;

export const httpRequests = new Counter({
  name: 'deuterium_http_requests_total',
  help: 'HTTP requests answered, by route template, method and status',
  labelNames: httpLabels,
});

export const httpRequestDuration = new Histogram({
  name: 'deuterium_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer being sent, by route template, method and status',
  labelNames: httpLabels,
  buckets: LATENCY_BUCKETS,
});

const queryDuration = new Histogram({
  name: 'deuterium_db_query_duration_seconds',
  help: 'PostgreSQL statements, from sending to the last row, by their first keyword',
  labelNames: ['operation'],
  buckets: QUERY_BUCKETS,
});

const OPERATIONS = new Set(['select', 'insert', 'update', 'delete']);
const FIRST_WORD = /^\s*([A-Za-z]+)/;

/** Times one statement; `sql` only decides the operation label, from a fixed set. */
export function observeQuery(sql: string, seconds: number): void {
  const word = FIRST_WORD.exec(sql)?.[1]?.toLowerCase();
  queryDuration.observe({ operation: word !== undefined && OPERATIONS.has(word) ? word : 'other' }, seconds);
}

/** The pools this process has open: a test process opens many, a server one. */
const pools = new Set<pg.Pool>();

/** Counts `pool` in the pool gauges until the returned function is called (when it closes). */
export function watchPool(pool: pg.Pool): () => void {
  pools.add(pool);
  return () => pools.delete(pool);
}

new Gauge({
  name: 'deuterium_db_pool_connections',
  help: 'PostgreSQL connections open in the pool, by whether a query holds them',
  labelNames: ['state'],
  collect() {
    let open = 0;
    let idle = 0;
    for (const pool of pools) {
      open += pool.totalCount;
      idle += pool.idleCount;
    }
    this.set({ state: 'in_use' }, open - idle);
    this.set({ state: 'idle' }, idle);
  },
});

new Gauge({
  name: 'deuterium_db_pool_max_connections',
  help: 'Connections the pool may open (POOL_SIZE)',
  collect() {
    let max = 0;
    for (const pool of pools) max += pool.options.max;
    this.set(max);
  },
});

new Gauge({
  name: 'deuterium_db_pool_waiting',
  help: 'Queries waiting for a free connection of the pool',
  collect() {
    let waiting = 0;
    for (const pool of pools) waiting += pool.waitingCount;
    this.set(waiting);
  },
});

const jobOutcomes = new Counter({
  name: 'deuterium_queue_outcomes_total',
  help:
    'How the runs of each kind of job (queue: webhook-delivery, bulk, electron-movement, retention-sweep) ended: ' +
    'succeeded, retried (failed, to run again), failed (for good) or rescheduled (ran well, more to do later)',
  labelNames: ['queue', 'outcome'],
});

/** One settled run of a job of `kind` (jobs/figures.ts counts it for the engine's own figures too). */
export function countJobOutcome(kind: string, outcome: 'succeeded' | 'retried' | 'failed' | 'rescheduled'): void {
  jobOutcomes.inc({ queue: kind, outcome });
}

const webhookAttempts = new Counter({
  name: 'deuterium_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts by result: success (2xx), http_4xx, http_5xx, http_other, timeout, network_error, refused (the address check) or aborted (shutdown)',
  labelNames: ['result'],
});

/** How one webhook attempt went (webhooks/sender.ts's SendOutcome). */
export function countWebhookAttempt(outcome: { statusCode?: number; error?: string; aborted?: boolean }): void {
  webhookAttempts.inc({ result: attemptResult(outcome) });
}

function attemptResult({ statusCode, error, aborted }: { statusCode?: number; error?: string; aborted?: boolean }): string {
  if (aborted) return 'aborted';
  if (statusCode !== undefined) {
    if (statusCode >= 200 && statusCode < 300) return 'success';
    if (statusCode >= 400 && statusCode < 600) return `http_${Math.floor(statusCode / 100)}xx`;
    return 'http_other';
  }
  if (error?.startsWith('refused:')) return 'refused';
  if (error?.startsWith('no response within')) return 'timeout';
  return 'network_error';
}

const cardDecisions = new Counter({
  name: 'deuterium_card_authorizations_total',
  help: 'Card authorization decisions by status and reason; decision "error" for a request answered with an error',
  labelNames: ['decision', 'reason'],
});

const cardDecisionDuration = new Histogram({
  name: 'deuterium_card_authorization_duration_seconds',
  help: 'Time to decide a card authorization, by decision',
  labelNames: ['decision'],
  buckets: LATENCY_BUCKETS,
});

/** Counts and times one card authorization decision. */
export async function timeCardAuthorization<T extends { status: string; reason: string }>(decide: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let decision = 'error';
  let reason = 'error';
  try {
    const answer = await decide();
    decision = answer.status;
    reason = answer.reason;
    return answer;
  } finally {
    cardDecisions.inc({ decision, reason });
    cardDecisionDuration.observe({ decision }, (performance.now() - started) / 1000);
  }
}

const chainCalls = new Counter({
  name: 'deuterium_hydro_chain_calls_total',
  help: "JSON-RPC calls Hydro makes to its chain (embedded or a node), by method and outcome (ok or error)",
  labelNames: ['method', 'outcome'],
});

const chainCallDuration = new Histogram({
  name: 'deuterium_hydro_chain_call_duration_seconds',
  help: 'Time of the JSON-RPC calls Hydro makes to its chain, by method',
  labelNames: ['method'],
  buckets: LATENCY_BUCKETS,
});

/**
 * Counts and times one JSON-RPC call. The methods are the ones viem sends for Hydro's own
 * operations, a fixed set; the relay of users' calls to the embedded chain does not come here.
 */
export async function timeChainCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome = 'error';
  try {
    const result = await call();
    outcome = 'ok';
    return result;
  } finally {
    chainCalls.inc({ method, outcome });
    chainCallDuration.observe({ method }, (performance.now() - started) / 1000);
  }
}
