import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { WEBHOOK_DELIVERY_JOB } from './deliveries.ts';
import { ACTIVE_WEBHOOK } from './health.ts';

/** The x-hydrogen-service of a test event: no Nucleus service has this name, so a receiver can tell it apart. */
export const TEST_SERVICE = 'webhook.test';
export const TEST_ACTION = 'test';

/**
 * Queues a test event for one webhook as an event of the outbox with a delivery and its job,
 * so it is signed, sent, retried, logged and counted in the webhook's health exactly as a real
 * one. Its body stands where a record would: an id (the event's) and a create_date, with what
 * it is about. Nothing is queued unless the webhook exists in the tenant and is active at the
 * moment of queueing; the delivery id is returned.
 */
export async function queueTestEvent(db: Database, jobs: JobEngine, tenantId: string, webhookId: string): Promise<string> {
  const eventId = randomUUID();
  const deliveryId = randomUUID();
  const payload = JSON.stringify({
    id: eventId,
    event: TEST_SERVICE,
    webhook_id: webhookId,
    create_date: new Date().toISOString(),
    message: 'A test event sent on request; no record changed.',
  });
  const queued = await db.transaction(async (tx) => {
    const [webhook] = await tx.query<{ active: boolean }>(
      `SELECT ${ACTIVE_WEBHOOK} AS active FROM nucleus_webhook w WHERE w.tenant_id = $1 AND w.id = $2 FOR SHARE`,
      [tenantId, webhookId],
    );
    if (!webhook) throw errors.notFound({ reason: `No webhook with id ${webhookId}` });
    if (!webhook.active) return false;
    await tx.query(
      `INSERT INTO webhook_event (tenant_id, id, service, action, entity, record_id, payload) VALUES ($1, $2, $3, $4, 'webhook', $5, $6)`,
      [tenantId, eventId, TEST_SERVICE, TEST_ACTION, webhookId, payload],
    );
    await tx.query(
      `INSERT INTO webhook_delivery (tenant_id, id, webhook_id, event_id, status, next_attempt_at) VALUES ($1, $2, $3, $4, 'pending', now())`,
      [tenantId, deliveryId, webhookId, eventId],
    );
    await jobs.enqueue(tx, { tenantId, id: deliveryId, kind: WEBHOOK_DELIVERY_JOB });
    return true;
  });
  if (!queued) throw errors.webhookInactive({ reason: 'The webhook is not active; set is_active to true before sending it a test event', field: 'is_active' });
  return deliveryId;
}
