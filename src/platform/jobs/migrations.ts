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
];
