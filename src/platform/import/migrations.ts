import type { Migration } from '../db/migrations.ts';

export const importMigrations: Migration[] = [
  {
    version: 1100,
    name: 'import: where each source entity was read to, and the records waiting for what they point at',
    async up(session) {
      // Keyed by source and entity rather than an id: there is one place to resume per pair,
      // and a tenant reset empties it with the tenant's data (it has a tenant_id).
      await session.query(`CREATE TABLE import_checkpoint (
        tenant_id uuid NOT NULL,
        source text NOT NULL,
        entity text NOT NULL,
        since timestamptz,
        seen_at_since jsonb NOT NULL DEFAULT '[]',
        page integer NOT NULL DEFAULT 0,
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, source, entity)
      )`);
      await session.query(`CREATE TABLE import_pending (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        source text NOT NULL,
        entity text NOT NULL,
        record jsonb NOT NULL,
        reason text NOT NULL,
        missing_entity text NOT NULL,
        missing_id uuid NOT NULL,
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query('CREATE INDEX import_pending_by_entity ON import_pending (tenant_id, source, entity)');
    },
  },
];
