import type { Database, Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { offsetOf, pageOf, type Page } from '../list/paging.ts';
import { ACTIVE_WEBHOOK } from './health.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { Transition } from '../jobs/kind.ts';

/** The job kind that sends a delivery; the job's id is the delivery's. */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';

/** One delivery being attempted, with everything needed to send it. */
export interface ClaimedDelivery {
  tenantId: string;
  id: string;
  webhookId: string;
  attemptNumber: number;
  service: string;
  action: string;
  payload: string;
  url: string;
  secret: string;
}

const INTERRUPTED = 'interrupted: the server stopped before the attempt finished';

/**
 * Opens the next attempt of a delivery whose job this worker holds, in the job's fenced
 * transaction; undefined when there is nothing to send: the delivery was settled or cancelled
 * meanwhile, or its webhook is inactive (see stillSendable).
 */
export async function openAttempt(tx: Queryable, tenantId: string, deliveryId: string): Promise<ClaimedDelivery | undefined> {
  const [row] = await tx.query<{
    webhook_id: string;
    attempt_count: number;
    service: string;
    action: string;
    payload: string;
    url: string;
    secret: string;
    active: boolean;
  }>(
    `SELECT d.webhook_id, d.attempt_count, e.service, e.action, e.payload, w.doc->>'url' AS url, w.doc->>'secret' AS secret, ${ACTIVE_WEBHOOK} AS active
     FROM webhook_delivery d
     JOIN webhook_event e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
     JOIN nucleus_webhook w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
     WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'pending'`,
    [tenantId, deliveryId],
  );
  if (!row || !row.active) return undefined;
  const attemptNumber = row.attempt_count + 1;
  await tx.query(`UPDATE webhook_delivery SET attempt_count = $3, update_date = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, deliveryId, attemptNumber]);
  await tx.query(
    `UPDATE webhook_attempt SET finished_at = now(), error = $3
     WHERE tenant_id = $1 AND delivery_id = $2 AND finished_at IS NULL`,
    [tenantId, deliveryId, INTERRUPTED],
  );
  await tx.query(`INSERT INTO webhook_attempt (tenant_id, delivery_id, attempt_number, attempted_at) VALUES ($1, $2, $3, now())`, [
    tenantId,
    deliveryId,
    attemptNumber,
  ]);
  return {
    tenantId,
    id: deliveryId,
    webhookId: row.webhook_id,
    attemptNumber,
    service: row.service,
    action: row.action,
    payload: row.payload,
    url: row.url,
    secret: row.secret,
  };
}

/**
 * Whether a delivery found with nothing to send has become sendable since, its webhook switched
 * back on. Asked in the transaction that removes its job, after the removal: a client switching
 * the webhook on either committed before (and is seen here), or waits for this transaction on
 * the job row and then queues the job again itself (write-parts.ts).
 */
export async function stillSendable(tx: Queryable, tenantId: string, deliveryId: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM webhook_delivery d JOIN nucleus_webhook w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
     WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'pending' AND ${ACTIVE_WEBHOOK}`,
    [tenantId, deliveryId],
  );
  return rows.length > 0;
}

export interface AttemptResult {
  statusCode?: number;
  latencyMs?: number;
  error?: string;
}

export async function closeAttempt(tx: Queryable, delivery: ClaimedDelivery, result: AttemptResult): Promise<void> {
  await tx.query(
    `UPDATE webhook_attempt SET finished_at = now(), status_code = $4, latency_ms = $5, error = $6
     WHERE tenant_id = $1 AND delivery_id = $2 AND attempt_number = $3`,
    [delivery.tenantId, delivery.id, delivery.attemptNumber, result.statusCode ?? null, result.latencyMs ?? null, result.error ?? null],
  );
}

/** What becomes of a delivery after an attempt, as its job's transition says; written under the job's lease. */
export async function settleDelivery(tx: Queryable, delivery: ClaimedDelivery, next: Transition): Promise<void> {
  const key = [delivery.tenantId, delivery.id];
  const where = 'WHERE tenant_id = $1 AND id = $2';
  if (next.to === 'done') {
    await tx.query(`UPDATE webhook_delivery SET status = 'delivered', delivered_at = now(), update_date = now() ${where}`, key);
  } else if (next.to === 'failed') {
    await tx.query(`UPDATE webhook_delivery SET status = 'failed', update_date = now() ${where}`, key);
  } else {
    await tx.query(`UPDATE webhook_delivery SET next_attempt_at = now() + $3 * interval '1 millisecond', update_date = now() ${where}`, [...key, next.inMs]);
  }
}

/** A delivery as the API shows it. */
export interface DeliveryView {
  id: string;
  webhook_id: string;
  event_id: string;
  service: string;
  action: string;
  entity: string;
  record_id: string;
  status: string;
  attempt_count: number;
  next_attempt_date: string | null;
  delivered_date: string | null;
  create_date: string;
  update_date: string;
  attempts: AttemptView[];
}

export interface AttemptView {
  attempt_number: number;
  attempt_date: string;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
}

interface DeliveryRow extends Omit<DeliveryView, 'next_attempt_date' | 'delivered_date' | 'create_date' | 'update_date' | 'attempts'> {
  next_attempt_at: Date | string;
  delivered_at: Date | string | null;
  create_date: Date | string;
  update_date: Date | string;
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

const DELIVERY_COLUMNS = `d.id, d.webhook_id, d.event_id, e.service, e.action, e.entity, e.record_id, d.status, d.attempt_count,
  d.next_attempt_at, d.delivered_at, d.create_date, d.update_date`;

async function withAttempts(db: Queryable, tenantId: string, rows: DeliveryRow[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const attempts = await db.query<{
    delivery_id: string;
    attempt_number: number;
    attempted_at: Date | string;
    status_code: number | null;
    latency_ms: number | null;
    error: string | null;
  }>(
    `SELECT delivery_id, attempt_number, attempted_at, status_code, latency_ms, error FROM webhook_attempt
     WHERE tenant_id = $1 AND delivery_id = ANY($2::uuid[]) ORDER BY attempt_number`,
    [tenantId, rows.map((r) => r.id)],
  );
  return rows.map(({ next_attempt_at, delivered_at, create_date, update_date, ...stored }) => ({
    ...stored,
    next_attempt_date: stored.status === 'pending' ? iso(next_attempt_at) : null,
    delivered_date: delivered_at === null ? null : iso(delivered_at),
    create_date: iso(create_date),
    update_date: iso(update_date),
    attempts: attempts
      .filter((a) => a.delivery_id === stored.id)
      .map((a) => ({
        attempt_number: a.attempt_number,
        attempt_date: iso(a.attempted_at),
        status_code: a.status_code,
        latency_ms: a.latency_ms,
        error: a.error,
      })),
  }));
}

export interface DeliveryListQuery {
  page: number;
  size: number;
  ascending: boolean;
  status?: string;
}

export async function listDeliveries(db: Queryable, tenantId: string, webhookId: string, query: DeliveryListQuery): Promise<Page<DeliveryView>> {
  const filter = query.status ? 'AND d.status = $3' : '';
  const params: unknown[] = [tenantId, webhookId, ...(query.status ? [query.status] : [])];
  const [count] = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM webhook_delivery d WHERE d.tenant_id = $1 AND d.webhook_id = $2 ${filter}`,
    params,
  );
  const direction = query.ascending ? 'ASC' : 'DESC';
  const rows = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d
     JOIN webhook_event e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
     WHERE d.tenant_id = $1 AND d.webhook_id = $2 ${filter}
     ORDER BY d.create_date ${direction}, d.id ${direction}
     LIMIT ${query.size} OFFSET ${offsetOf({ ...query, order_by: 'create_date' })}`,
    params,
  );
  return pageOf(await withAttempts(db, tenantId, rows), Number(count.n), { ...query, order_by: 'create_date' });
}

export async function getDelivery(db: Queryable, tenantId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  const rows = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d
     JOIN webhook_event e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
     WHERE d.tenant_id = $1 AND d.webhook_id = $2 AND d.id = $3`,
    [tenantId, webhookId, deliveryId],
  );
  if (rows.length === 0) throw errors.notFound({ reason: `No delivery with id ${deliveryId} for webhook ${webhookId}` });
  return (await withAttempts(db, tenantId, rows))[0];
}

/**
 * Queues a delivery again, whatever became of it (deliveries of a deleted webhook are out of
 * reach with it), for an attempt as soon as a worker is free;
 * if that fails it retries on the full schedule. The delivery id stays the same, so a receiver
 * that already processed it can recognise it.
 */
export async function requeue(db: Database, jobs: JobEngine, tenantId: string, webhookId: string, deliveryId: string): Promise<void> {
  await getDelivery(db, tenantId, webhookId, deliveryId);
  const queued = await db.transaction(async (tx) => {
    if (!(await jobs.requeue(tx, { tenantId, id: deliveryId, kind: WEBHOOK_DELIVERY_JOB }))) return false;
    await tx.query(
      `UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now(), update_date = now() WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3`,
      [tenantId, webhookId, deliveryId],
    );
    return true;
  });
  if (queued) return;
  throw errors.deliveryBusy({});
}
