import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { WriteEvent, WriteHook } from '../entity/writer.ts';
import { servicesFor } from './events.ts';
import { ACTIVE_WEBHOOK } from './health.ts';

/**
 * The transactional outbox: runs inside the write's transaction, so an event and its
 * deliveries exist exactly when the change committed. Subscribers are fixed now, at the time
 * of the change; a change nobody subscribes to leaves nothing behind.
 */
export const outboxHook: WriteHook = async (tx, event) => {
  const services = servicesFor(event);
  if (services.length === 0) return;
  const payload = JSON.stringify(event.record);
  for (const service of services) await enqueue(tx, event, service, payload);
};

async function enqueue(tx: Queryable, event: WriteEvent, service: string, payload: string): Promise<void> {
  await tx.query(
    `WITH subscriber AS (
       SELECT w.id FROM nucleus_webhook w
       WHERE w.tenant_id = $1 AND ${ACTIVE_WEBHOOK} AND w.doc->'atom_service' @> jsonb_build_array($2::text)
     ), event AS (
       INSERT INTO webhook_event (tenant_id, id, service, action, entity, record_id, payload)
       SELECT $1, $3, $2, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM subscriber)
       RETURNING id
     )
     INSERT INTO webhook_delivery (tenant_id, id, webhook_id, event_id, status, next_attempt_at)
     SELECT $1, gen_random_uuid(), s.id, e.id, 'pending', now() FROM subscriber s CROSS JOIN event e`,
    [event.origin.auth.tenantId, service, randomUUID(), event.action, event.declaration.name, event.record.id, payload],
  );
}

/**
 * Keeps delivery bookkeeping in step with changes to webhooks themselves: switching one back
 * on clears its pause, and deleting one cancels what was still waiting for it.
 */
export const webhookLifecycleHook: WriteHook = async (tx, event) => {
  if (event.declaration.name !== 'webhook') return;
  const tenantId = event.origin.auth.tenantId;
  const webhookId = event.record.id;
  if (event.action === 'delete') {
    await tx.query(
      `UPDATE webhook_delivery SET status = 'cancelled', lease_id = NULL, lease_until = NULL, update_date = now()
       WHERE tenant_id = $1 AND webhook_id = $2 AND status = 'pending'`,
      [tenantId, webhookId],
    );
    await tx.query('DELETE FROM webhook_health WHERE tenant_id = $1 AND webhook_id = $2', [tenantId, webhookId]);
    return;
  }
  if (event.action === 'update' && event.record.is_active === true && event.previous?.is_active === false) {
    await tx.query(
      `UPDATE webhook_health SET consecutive_failures = 0, failing_since = NULL, paused_at = NULL, pause_reason = NULL
       WHERE tenant_id = $1 AND webhook_id = $2`,
      [tenantId, webhookId],
    );
  }
};
