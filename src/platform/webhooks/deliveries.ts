import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { offsetOf, pageOf, type Page } from '../list/paging.ts';
import { ACTIVE_WEBHOOK } from './health.ts';

/** One delivery a worker owns until its lease runs out, with everything needed to send it. */
export interface ClaimedDelivery {
  tenantId: string;
  id: string;
  webhookId: string;
  leaseId: string;
  attemptNumber: number;
  /** Failures since the delivery was last queued; picks the next retry delay. */
  retryStep: number;
  service: string;
  action: string;
  payload: string;
  url: string;
  secret: string;
}

const INTERRUPTED = 'interrupted: the server stopped before the attempt finished';

/**
 * Takes up to `limit` due deliveries of active webhooks, skipping rows another worker holds,
 * and opens an attempt for each. A claim is a lease, not a flag: if this process dies, the
 * lease runs out and any worker takes the delivery up again, with the same delivery id.
 */
export async function claimDue(db: Database, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const leaseId = randomUUID();
  return db.transaction(async (tx) => {
    const rows = await tx.query<{
      tenant_id: string;
      id: string;
      webhook_id: string;
      attempt_count: number;
      retry_step: number;
      service: string;
      action: string;
      payload: string;
      url: string;
      secret: string;
    }>(
      `UPDATE webhook_delivery d
       SET lease_id = $1, lease_until = now() + $2 * interval '1 millisecond', attempt_count = d.attempt_count + 1, update_date = now()
       FROM webhook_event e, nucleus_webhook w
       WHERE (d.tenant_id, d.id) IN (
           SELECT due.tenant_id, due.id FROM webhook_delivery due
           JOIN nucleus_webhook w ON w.tenant_id = due.tenant_id AND w.id = due.webhook_id
           WHERE due.status = 'pending' AND due.next_attempt_at <= now()
             AND (due.lease_until IS NULL OR due.lease_until < now()) AND ${ACTIVE_WEBHOOK}
           ORDER BY due.next_attempt_at
           LIMIT $3
           FOR UPDATE OF due SKIP LOCKED)
         AND e.tenant_id = d.tenant_id AND e.id = d.event_id
         AND w.tenant_id = d.tenant_id AND w.id = d.webhook_id
       RETURNING d.tenant_id, d.id, d.webhook_id, d.attempt_count, d.retry_step, e.service, e.action, e.payload,
                 w.doc->>'url' AS url, w.doc->>'secret' AS secret`,
      [leaseId, leaseMs, limit],
    );
    for (const row of rows) {
      await tx.query(
        `UPDATE webhook_attempt SET finished_at = now(), error = $3
         WHERE tenant_id = $1 AND delivery_id = $2 AND finished_at IS NULL`,
        [row.tenant_id, row.id, INTERRUPTED],
      );
      await tx.query(
        `INSERT INTO webhook_attempt (tenant_id, delivery_id, attempt_number, attempted_at) VALUES ($1, $2, $3, now())`,
        [row.tenant_id, row.id, row.attempt_count],
      );
    }
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      id: row.id,
      webhookId: row.webhook_id,
      leaseId,
      attemptNumber: row.attempt_count,
      retryStep: row.retry_step,
      service: row.service,
      action: row.action,
      payload: row.payload,
      url: row.url,
      secret: row.secret,
    }));
  });
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

/** What happens to a delivery after an attempt. */
export type NextStep =
  | { status: 'delivered' }
  | { status: 'failed' }
  | { status: 'pending'; retryInMs: number; retryStep: number }
  /** Given back untouched, to be attempted again at once (this process is shutting down). */
  | { status: 'released' };

/**
 * Moves the delivery on, if this worker still holds its lease; false when the lease was lost
 * (another worker has taken the delivery over and will record its own outcome).
 */
export async function settle(tx: Queryable, delivery: ClaimedDelivery, next: NextStep): Promise<boolean> {
  const key = [delivery.tenantId, delivery.id, delivery.leaseId];
  const where = 'WHERE tenant_id = $1 AND id = $2 AND lease_id = $3';
  const release = 'lease_id = NULL, lease_until = NULL, update_date = now()';
  let rows: unknown[];
  switch (next.status) {
    case 'delivered':
      rows = await tx.query(`UPDATE webhook_delivery SET status = 'delivered', delivered_at = now(), ${release} ${where} RETURNING 1`, key);
      break;
    case 'failed':
      rows = await tx.query(`UPDATE webhook_delivery SET status = 'failed', ${release} ${where} RETURNING 1`, key);
      break;
    case 'pending':
      rows = await tx.query(
        `UPDATE webhook_delivery SET retry_step = $4, next_attempt_at = now() + $5 * interval '1 millisecond', ${release} ${where} RETURNING 1`,
        [...key, next.retryStep, next.retryInMs],
      );
      break;
    case 'released':
      rows = await tx.query(`UPDATE webhook_delivery SET ${release} ${where} RETURNING 1`, key);
      break;
  }
  return rows.length > 0;
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

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  service: string;
  action: string;
  entity: string;
  record_id: string;
  status: string;
  attempt_count: number;
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
  return rows.map((row) => ({
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    service: row.service,
    action: row.action,
    entity: row.entity,
    record_id: row.record_id,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_date: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    delivered_date: row.delivered_at === null ? null : iso(row.delivered_at),
    create_date: iso(row.create_date),
    update_date: iso(row.update_date),
    attempts: attempts
      .filter((a) => a.delivery_id === row.id)
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
  if (rows.length === 0) throw ApiError.notFound(`No delivery with id ${deliveryId} for webhook ${webhookId}`);
  return (await withAttempts(db, tenantId, rows))[0];
}

/**
 * Queues a delivery again, whatever became of it (deliveries of a deleted webhook are out of
 * reach with it), for an attempt as soon as a worker is free;
 * if that fails it retries on the full schedule. The delivery id stays the same, so a receiver
 * that already processed it can recognise it.
 */
export async function requeue(db: Queryable, tenantId: string, webhookId: string, deliveryId: string): Promise<void> {
  const rows = await db.query(
    `UPDATE webhook_delivery
     SET status = 'pending', retry_step = 0, next_attempt_at = now(), update_date = now()
     WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 AND (lease_until IS NULL OR lease_until < now())
     RETURNING 1`,
    [tenantId, webhookId, deliveryId],
  );
  if (rows.length > 0) return;
  await getDelivery(db, tenantId, webhookId, deliveryId);
  throw new ApiError(409, 'delivery_busy', 'This delivery is being attempted right now; try again when the attempt has finished');
}
