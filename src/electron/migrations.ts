import type { Migration } from '../platform/db/migrations.ts';
import { sandboxMigrations } from './sandbox/migrations.ts';

/**
 * Electron's range is 600-699: 600-609 for what Electron keeps whatever the processor (which
 * Nucleus record is which processor object, and the money movements it drives), 610-619 for
 * the sandbox processor's own books.
 */
export const electronMigrations: Migration[] = [
  {
    version: 600,
    name: 'electron: processor objects of Nucleus records, money movements',
    async up(session) {
      await session.query(`CREATE TABLE electron_cardholder (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        nucleus_client_id uuid NOT NULL,
        processor text NOT NULL,
        vendor_cardholder_id text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, nucleus_client_id)
      )`);
      await session.query(`CREATE TABLE electron_card (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        nucleus_card_id uuid NOT NULL,
        processor text NOT NULL,
        vendor_card_id text NOT NULL,
        last_four text NOT NULL,
        expiry_date date NOT NULL,
        state text NOT NULL,
        replaced_by_card_id uuid,
        replaces_card_id uuid,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, nucleus_card_id)
      )`);
      await session.query(`CREATE TABLE electron_spending_control (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        nucleus_spending_control_id uuid NOT NULL,
        processor text NOT NULL,
        vendor_control_id text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, nucleus_spending_control_id)
      )`);
      // One row per load, unload, ACH funding or purchase, driven through its states by the
      // request that made it or, if that request died, by the settlement worker: `next_attempt_at`
      // is when anyone may next take it up (for a row being worked on, the end of its lease).
      // Since 601 the job queue keeps that, and the lease, in the movement's job.
      await session.query(`CREATE TABLE electron_money_movement (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('load', 'unload', 'ach', 'purchase')),
        state text NOT NULL CHECK (state IN ('requested', 'pending', 'posted', 'recorded')),
        outcome text,
        nucleus_funding_id uuid,
        nucleus_card_id uuid NOT NULL,
        processor text NOT NULL,
        vendor_card_id text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency_code text NOT NULL,
        vendor_reference text,
        vendor_response jsonb,
        balance_after_minor bigint,
        posted_at timestamptz,
        nucleus_transaction_id uuid,
        detail jsonb NOT NULL DEFAULT '{}',
        requested_by jsonb NOT NULL,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_token text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE UNIQUE INDEX electron_money_movement_funding ON electron_money_movement (tenant_id, nucleus_funding_id)
        WHERE nucleus_funding_id IS NOT NULL`);
      await session.query(`CREATE INDEX electron_money_movement_due ON electron_money_movement (next_attempt_at) WHERE state <> 'recorded'`);
      // Nucleus records Electron makes for itself (the model a card transaction needs when the
      // card's portfolio has none), so each is made once per tenant.
      await session.query(`CREATE TABLE electron_fixture (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        name text NOT NULL,
        nucleus_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, name)
      )`);
    },
  },
  {
    version: 601,
    name: 'electron: money movements are leased and retried by the job queue',
    async up(session) {
      // One attempt counted already, so the first run looks for a card transaction that a
      // driver which died before this migration may have recorded.
      await session.query(`INSERT INTO job (tenant_id, id, kind, payload, run_at, attempts, create_date)
        SELECT tenant_id, id, 'electron-movement', '{}', next_attempt_at, 1, create_date
        FROM electron_money_movement WHERE state <> 'recorded'`);
      await session.query('DROP INDEX electron_money_movement_due');
      await session.query('ALTER TABLE electron_money_movement DROP COLUMN next_attempt_at, DROP COLUMN lease_token, DROP COLUMN attempts, DROP COLUMN last_error');
    },
  },
  ...sandboxMigrations,
];
