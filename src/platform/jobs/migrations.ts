import type { Migration } from '../db/migrations.ts';

/**
 * The durable job queue. `run_at` is when anyone may next pick a job up: for a pending job its
 * due time, for a running one the end of its worker's lease, so a job whose worker died is
 * claimed again once the lease runs out. Listed by bulk/migrations.ts, whose range (300-399)
 * it shares.
 */
export const jobMigrations: Migration[] = [
  {
    version: 300,
    name: 'durable job queue',
    async up(session) {
      await session.query(`CREATE TABLE job (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'failed')),
        run_at timestamptz NOT NULL DEFAULT now(),
        lease_token text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE INDEX job_due ON job (run_at) WHERE state <> 'failed'`);
    },
  },
  {
    version: 302,
    name: 'one job queue for every kind of background work',
    async up(session) {
      // The retention sweep works for every tenant at once; it is filed under the nil uuid,
      // which no tenant has, so the key stays (tenant_id, id) without a tenant row to point at.
      await session.query('ALTER TABLE job DROP CONSTRAINT job_tenant_id_fkey');
      // The invariants of invariants.ts that one row can show, kept by the database as well.
      await session.query(`ALTER TABLE job
        ADD CONSTRAINT job_leased_while_running CHECK ((state = 'running') = (lease_token IS NOT NULL)),
        ADD CONSTRAINT job_attempts_counted CHECK (attempts >= 0 AND (state <> 'running' OR attempts >= 1))`);
      // Claims and the per-kind figures look a kind up by due time.
      await session.query('DROP INDEX job_due');
      await session.query(`CREATE INDEX job_due ON job (kind, run_at) WHERE state <> 'failed'`);
    },
  },
  {
    version: 303,
    name: 'webhook deliveries are scheduled, leased and retried by the job queue',
    // In the queue's range rather than webhooks' (100-199): it needs the job table, made at 300.
    async up(session) {
      // A delivery a worker held is due when its lease ends; the retries it had count on.
      // next_attempt_at stays: it is what the API shows as next_attempt_date.
      await session.query(`INSERT INTO job (tenant_id, id, kind, payload, run_at, attempts, create_date)
        SELECT tenant_id, id, 'webhook-delivery', '{}', greatest(next_attempt_at, coalesce(lease_until, next_attempt_at)), retry_step, create_date
        FROM webhook_delivery WHERE status = 'pending'`);
      await session.query('DROP INDEX webhook_delivery_due');
      await session.query('ALTER TABLE webhook_delivery DROP COLUMN lease_id, DROP COLUMN lease_until, DROP COLUMN retry_step');
    },
  },
];
