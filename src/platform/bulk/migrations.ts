import type { Migration } from '../db/migrations.ts';
import { jobMigrations } from '../jobs/migrations.ts';

/**
 * Bulk requests and their items. An item's input is dropped once the item is settled, so
 * secrets it may carry (a client's password) do not outlive the job. The job queue shares
 * this version range and is listed here because prepare.ts lists one array per range.
 */
export const bulkMigrations: Migration[] = [
  ...jobMigrations,
  {
    version: 301,
    name: 'bulk requests and their items',
    async up(session) {
      await session.query(`CREATE TABLE bulk_transaction (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        entity text NOT NULL,
        action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
        status text NOT NULL CHECK (status IN ('Queued', 'In Progress', 'Complete', 'Failed')),
        item_count integer NOT NULL,
        credential_id uuid NOT NULL,
        client_id uuid,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE bulk_item (
        tenant_id uuid NOT NULL,
        bulk_id uuid NOT NULL,
        position integer NOT NULL,
        input jsonb,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
        record_id uuid,
        error jsonb,
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, bulk_id, position),
        FOREIGN KEY (tenant_id, bulk_id) REFERENCES bulk_transaction (tenant_id, id) ON DELETE CASCADE
      )`);
    },
  },
];
