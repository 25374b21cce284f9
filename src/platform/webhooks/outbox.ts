import { randomUUID } from 'node:crypto';
import type { WriteEvent, WriteHook } from '../entity/writer.ts';
import type { WriteStatement } from '../entity/write-statement.ts';
import { servicesFor } from './events.ts';
import { ACTIVE_WEBHOOK } from './health.ts';
import { dropJobs, enqueueForRows } from '../jobs/write-parts.ts';
import { WEBHOOK_DELIVERY_JOB } from './deliveries.ts';

/**
 * The transactional outbox: part of the write's statement, so an event, its deliveries and
 * their jobs exist exactly when the change committed. Subscribers are fixed now, at the time of the
 * change; a change nobody subscribes to leaves nothing behind.
 */
export const outboxHook: WriteHook = (event, write) => {
  // An imported record is one the team's systems already know from the server it came from.
  if (event.origin.import) return;
  const services = servicesFor(event);
  if (services.length === 0) return;
  const payload = JSON.stringify(event.record);
  for (const service of services) enqueue(write, event, service, payload);
};

function enqueue(write: WriteStatement, event: WriteEvent, service: string, payload: string): void {
  const p = write.params;
  const tenant = p.add(event.origin.auth.tenantId);
  const subscriber = write.add(
    `SELECT w.id FROM nucleus_webhook w
     WHERE w.tenant_id = ${tenant} AND ${ACTIVE_WEBHOOK} AND w.doc->'atom_service' @> jsonb_build_array(${p.add(service)}::text)`,
  );
  const created = write.add(
    `INSERT INTO webhook_event (tenant_id, id, service, action, entity, record_id, payload)
     SELECT ${tenant}, ${p.add(randomUUID())}, ${p.add(service)}, ${p.add(event.action)}, ${p.add(event.declaration.name)}, ${p.add(event.record.id)}, ${p.add(payload)}
     WHERE EXISTS (SELECT 1 FROM ${subscriber})
     RETURNING id`,
  );
  const deliveries = write.add(
    `INSERT INTO webhook_delivery (tenant_id, id, webhook_id, event_id, status, next_attempt_at)
     SELECT ${tenant}, gen_random_uuid(), s.id, e.id, 'pending', now() FROM ${subscriber} s CROSS JOIN ${created} e
     RETURNING tenant_id, id`,
  );
  enqueueForRows(write, deliveries, WEBHOOK_DELIVERY_JOB);
}

/**
 * Keeps delivery bookkeeping in step with changes to webhooks themselves: switching one back
 * on clears its pause and queues what was still waiting for it (a delivery of an inactive
 * webhook leaves the queue when it comes due), and deleting one cancels what was waiting.
 */
export const webhookLifecycleHook: WriteHook = (event, write) => {
  if (event.declaration.name !== 'webhook') return;
  const ofWebhook = () => `tenant_id = ${write.params.add(event.origin.auth.tenantId)} AND webhook_id = ${write.params.add(event.record.id)}`;
  if (event.action === 'delete') {
    const [tenantId, webhookId] = [event.origin.auth.tenantId, event.record.id];
    write.beforehand((tx) =>
      dropJobs(tx, WEBHOOK_DELIVERY_JOB, `SELECT tenant_id, id FROM webhook_delivery WHERE tenant_id = $1 AND webhook_id = $2 AND status = 'pending'`, [tenantId, webhookId]),
    );
    write.add(
      `UPDATE webhook_delivery SET status = 'cancelled', update_date = now()
       WHERE ${ofWebhook()} AND status = 'pending'`,
    );
    write.add(`DELETE FROM webhook_health WHERE ${ofWebhook()}`);
    return;
  }
  if (event.action === 'update' && event.record.is_active === true && event.previous?.is_active === false) {
    write.add(
      `UPDATE webhook_health SET consecutive_failures = 0, failing_since = NULL, paused_at = NULL, pause_reason = NULL
       WHERE ${ofWebhook()}`,
    );
    const waiting = write.add(`SELECT tenant_id, id FROM webhook_delivery WHERE ${ofWebhook()} AND status = 'pending'`);
    enqueueForRows(write, waiting, WEBHOOK_DELIVERY_JOB);
  }
};
