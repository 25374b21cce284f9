import type { Migration } from '../db/migrations.ts';

export const idempotencyMigrations: Migration[] = [
  {
    version: 200,
    name: 'idempotency keys',
    async up(session) {
      // tenant_id leads the key so the table can be distributed by tenant. No foreign key to
      // tenant: a row is a 24-hour cache entry, not worth a lookup on every claim.
      await session.query(`CREATE TABLE idempotency_key (
        tenant_id uuid NOT NULL,
        caller text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        body_hash text NOT NULL,
        claim_id uuid NOT NULL,
        claimed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        status_code integer,
        content_type text,
        response_body text,
        PRIMARY KEY (tenant_id, caller, key)
      )`);
      await session.query('CREATE INDEX idempotency_key_expiry ON idempotency_key (tenant_id, expires_at)');
    },
  },
];
