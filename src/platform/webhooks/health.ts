import type { Queryable } from '../db/database.ts';
import type { EntityWriter } from '../entity/writer.ts';
import { systemJob } from '../entity/system-origin.ts';
import { ApiError } from '../http/api-error.ts';
import type { DeliveryTimings } from './timings.ts';

/** SQL condition on a nucleus_webhook row aliased `w`: it may receive events (is_active defaults to true). */
export const ACTIVE_WEBHOOK = `COALESCE((w.doc->>'is_active')::boolean, true)`;

export type PauseReason = 'failing' | 'gone';

/** How a webhook is doing, as GET /webhook/{id}/status reports it. */
export interface WebhookHealth {
  webhook_id: string;
  /** active; inactive (switched off by a client); paused (kept failing); disabled (its receiver answered 410). */
  state: 'active' | 'inactive' | 'paused' | 'disabled';
  consecutive_failures: number;
  failing_since: string | null;
  last_success_date: string | null;
  last_failure_date: string | null;
  paused_date: string | null;
  pending_deliveries: number;
}

interface HealthRow {
  consecutive_failures: number;
  failing_since: Date | string | null;
  last_success_at: Date | string | null;
  last_failure_at: Date | string | null;
  paused_at: Date | string | null;
  pause_reason: PauseReason | null;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export async function webhookHealth(db: Queryable, tenantId: string, webhookId: string, isActive: boolean): Promise<WebhookHealth> {
  const [row] = await db.query<HealthRow>(
    `SELECT consecutive_failures, failing_since, last_success_at, last_failure_at, paused_at, pause_reason
     FROM webhook_health WHERE tenant_id = $1 AND webhook_id = $2`,
    [tenantId, webhookId],
  );
  const [pending] = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM webhook_delivery WHERE tenant_id = $1 AND webhook_id = $2 AND status = 'pending'`,
    [tenantId, webhookId],
  );
  const state = isActive ? 'active' : row?.pause_reason === 'failing' ? 'paused' : row?.pause_reason === 'gone' ? 'disabled' : 'inactive';
  return {
    webhook_id: webhookId,
    state,
    consecutive_failures: row?.consecutive_failures ?? 0,
    failing_since: iso(row?.failing_since ?? null),
    last_success_date: iso(row?.last_success_at ?? null),
    last_failure_date: iso(row?.last_failure_at ?? null),
    paused_date: iso(row?.paused_at ?? null),
    pending_deliveries: Number(pending.n),
  };
}

export async function recordSuccess(tx: Queryable, tenantId: string, webhookId: string): Promise<void> {
  await tx.query(
    `INSERT INTO webhook_health (tenant_id, webhook_id, last_success_at) VALUES ($1, $2, now())
     ON CONFLICT (tenant_id, webhook_id) DO UPDATE
     SET consecutive_failures = 0, failing_since = NULL, last_success_at = now()`,
    [tenantId, webhookId],
  );
}

/** The delivery job a health change follows from. */
export interface DeliveryAttempt {
  tenantId: string;
  webhookId: string;
  jobKind: string;
  jobId: string;
}

/** Counts a failed attempt; true once the webhook has failed often enough for long enough to be paused. */
export async function recordFailure(tx: Queryable, tenantId: string, webhookId: string, timings: DeliveryTimings): Promise<boolean> {
  const [health] = await tx.query<{ consecutive_failures: number; failing_ms: number }>(
    `INSERT INTO webhook_health (tenant_id, webhook_id, consecutive_failures, failing_since, last_failure_at)
     VALUES ($1, $2, 1, now(), now())
     ON CONFLICT (tenant_id, webhook_id) DO UPDATE
     SET consecutive_failures = webhook_health.consecutive_failures + 1,
         failing_since = COALESCE(webhook_health.failing_since, now()),
         last_failure_at = now()
     RETURNING consecutive_failures, (extract(epoch FROM now() - failing_since) * 1000)::float8 AS failing_ms`,
    [tenantId, webhookId],
  );
  return health.consecutive_failures >= timings.pauseAfterFailures && health.failing_ms >= timings.pauseAfterMs;
}

const DEACTIVATION_REASONS: Record<PauseReason, string> = {
  failing: 'the webhook was paused: its deliveries kept failing',
  gone: 'the webhook was disabled: its receiver answered 410 Gone',
};

/**
 * Switches the webhook off in its own record, so a client reading it sees is_active false, and
 * notes why. The server makes the change on its own account, through the writer like any
 * write: the audit log records it as the system's, with the reason and the delivery job.
 */
export async function deactivate(tx: Queryable, writer: EntityWriter, attempt: DeliveryAttempt, reason: PauseReason): Promise<void> {
  const { tenantId, webhookId } = attempt;
  await tx.query(
    `UPDATE webhook_health SET paused_at = now(), pause_reason = $3 WHERE tenant_id = $1 AND webhook_id = $2`,
    [tenantId, webhookId, reason],
  );
  const change = { is_active: false };
  const origin = systemJob(DEACTIVATION_REASONS[reason], { tenantId, kind: attempt.jobKind, id: attempt.jobId }, change);
  try {
    await writer.writeWithin(tx, origin, (write) => write.update('webhook', webhookId, change));
  } catch (error) {
    // Deleted while its last attempt was out: nothing is left to switch off.
    if (error instanceof ApiError && error.status === 404) return;
    throw error;
  }
}
