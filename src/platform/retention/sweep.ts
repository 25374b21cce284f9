import type { Queryable } from '../db/database.ts';
import { staleLoginFailure } from '../auth/login-throttle.ts';

export interface RetentionPolicy {
  /** Finished webhook deliveries, their attempts and their events, and jobs that failed for good, are kept this many days. */
  webhookHistoryDays: number;
}

/** Rows removed per table by one sweep. */
export type SweepCounts = Record<string, number>;

// Deleting in batches keeps each statement's locks and WAL short on a large backlog.
const BATCH = 5000;

async function deleteInBatches(db: Queryable, table: string, where: string, params: unknown[] = []): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.query<{ n: string }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${BATCH}) RETURNING 1)
       SELECT count(*)::text AS n FROM gone`,
      params,
    );
    const removed = Number(rows[0].n);
    total += removed;
    if (removed < BATCH) return total;
  }
}

/**
 * Removes what no request can use any more: expired tokens and idempotency keys, failed-login
 * counts that have gone quiet, webhook history past its retention, and jobs kept past it after
 * failing for good. Pending deliveries are never touched, however old: they are still being retried.
 */
export async function sweepExpired(db: Queryable, policy: RetentionPolicy): Promise<SweepCounts> {
  const finishedBefore = `now() - make_interval(days => $1)`;
  const counts: SweepCounts = {
    access_token: await deleteInBatches(db, 'access_token', 'expires_at <= now()'),
    mfa_token: await deleteInBatches(db, 'mfa_token', 'expires_at <= now()'),
    idempotency_key: await deleteInBatches(db, 'idempotency_key', 'expires_at <= now()'),
    login_failure: await deleteInBatches(db, 'login_failure', staleLoginFailure('login_failure')),
    // A key whose window has ended starts afresh at its next request whether its row is there or not.
    rate_limit_window: await deleteInBatches(db, 'rate_limit_window', 'window_end < now()'),
  };
  counts.webhook_attempt = await deleteInBatches(
    db,
    'webhook_attempt',
    `(tenant_id, delivery_id) IN (SELECT tenant_id, id FROM webhook_delivery WHERE status <> 'pending' AND update_date <= ${finishedBefore})`,
    [policy.webhookHistoryDays],
  );
  counts.webhook_delivery = await deleteInBatches(db, 'webhook_delivery', `status <> 'pending' AND update_date <= ${finishedBefore}`, [
    policy.webhookHistoryDays,
  ]);
  counts.webhook_event = await deleteInBatches(
    db,
    'webhook_event',
    `create_date <= ${finishedBefore} AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.tenant_id = webhook_event.tenant_id AND d.event_id = webhook_event.id)`,
    [policy.webhookHistoryDays],
  );
  counts.job = await deleteInBatches(db, 'job', `state = 'failed' AND update_date <= ${finishedBefore}`, [policy.webhookHistoryDays]);
  return counts;
}
