import type { Migration } from '../db/migrations.ts';

/**
 * The outbox and its delivery bookkeeping. Webhooks themselves are an ordinary Nucleus entity
 * (nucleus_webhook); these tables only point at them by id, because entity tables are created
 * after migrations run.
 */
export const webhooksMigrations: Migration[] = [
  {
    version: 100,
    name: 'webhook outbox: events, deliveries, attempts and per-webhook health',
    async up(session) {
      // One row per change someone subscribed to, written in the change's own transaction.
      // The payload is kept as text: it is exactly the bytes that are signed and sent.
      await session.query(`CREATE TABLE webhook_event (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        service text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        record_id uuid NOT NULL,
        payload text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      // One row per event and subscribed webhook; its id is the delivery id receivers see,
      // the same on every attempt. Its lease and retries are kept by the job queue since 303.
      await session.query(`CREATE TABLE webhook_delivery (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        webhook_id uuid NOT NULL,
        event_id uuid NOT NULL,
        status text NOT NULL,
        attempt_count integer NOT NULL DEFAULT 0,
        retry_step integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_id uuid,
        lease_until timestamptz,
        delivered_at timestamptz,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`);
      await session.query('CREATE INDEX webhook_delivery_by_webhook ON webhook_delivery (tenant_id, webhook_id, create_date)');
      await session.query(`CREATE TABLE webhook_attempt (
        tenant_id uuid NOT NULL,
        delivery_id uuid NOT NULL,
        attempt_number integer NOT NULL,
        attempted_at timestamptz NOT NULL,
        finished_at timestamptz,
        status_code integer,
        latency_ms integer,
        error text,
        PRIMARY KEY (tenant_id, delivery_id, attempt_number)
      )`);
      // Consecutive failures across all of a webhook's deliveries, to pause one that keeps failing.
      await session.query(`CREATE TABLE webhook_health (
        tenant_id uuid NOT NULL,
        webhook_id uuid NOT NULL,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        paused_at timestamptz,
        pause_reason text,
        PRIMARY KEY (tenant_id, webhook_id)
      )`);
    },
  },
];
