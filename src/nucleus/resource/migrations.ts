import type { Migration } from '../../platform/db/migrations.ts';

/** Versions 500-599 belong to the resources. */
export const resourceMigrations: Migration[] = [
  {
    version: 500,
    name: 'exchange rates',
    async up(session) {
      // One rate per tenant, pair and moment; the key also serves "latest rate of each pair".
      // numeric keeps the rate exactly as sent, never as a binary float.
      await session.query(`CREATE TABLE fx_rate (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        currency_code_from text NOT NULL,
        currency_code_to text NOT NULL,
        date timestamptz NOT NULL,
        exchange_rate numeric NOT NULL CHECK (exchange_rate > 0),
        create_date timestamptz NOT NULL,
        update_date timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, currency_code_from, currency_code_to, date)
      )`);
    },
  },
];
