import type { Migration } from '../../platform/db/migrations.ts';

/**
 * The sandbox processor's own books: its cardholders, cards, spending controls and a
 * double-entry ledger. A real processor keeps all of this on its side; Electron's tables
 * (../migrations.ts) only map Nucleus records onto what a processor holds.
 */
export const sandboxMigrations: Migration[] = [
  {
    version: 610,
    name: 'sandbox processor: cardholders, cards, spending controls',
    async up(session) {
      await session.query(`CREATE TABLE sandbox_cardholder (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id text NOT NULL,
        profile jsonb NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE sandbox_card (
        tenant_id uuid NOT NULL,
        token text NOT NULL,
        cardholder_id text NOT NULL,
        last_four text NOT NULL CHECK (last_four ~ '^[0-9]{4}$'),
        expiry_date date NOT NULL,
        state text NOT NULL CHECK (state IN ('issued', 'active', 'suspended', 'closed')),
        state_reason text,
        replaced_by_token text,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, token),
        FOREIGN KEY (tenant_id, cardholder_id) REFERENCES sandbox_cardholder (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE sandbox_spending_control (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id text NOT NULL,
        external_id text NOT NULL,
        control jsonb NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    },
  },
  {
    version: 611,
    name: 'sandbox processor: double-entry ledger',
    async up(session) {
      // An account with a floor can never be left below it, whatever code runs: the CHECK is
      // the last line behind the explicit check the ledger makes to give a useful message.
      await session.query(`CREATE TABLE sandbox_ledger_account (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        code text NOT NULL,
        id uuid NOT NULL UNIQUE,
        currency_code text NOT NULL,
        balance_minor bigint NOT NULL DEFAULT 0,
        floor_minor bigint,
        create_date timestamptz NOT NULL DEFAULT now(),
        update_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, code),
        CHECK (floor_minor IS NULL OR balance_minor >= floor_minor)
      )`);
      await session.query(`CREATE TABLE sandbox_ledger_movement (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        kind text NOT NULL,
        reference text NOT NULL,
        card_token text,
        detail jsonb NOT NULL DEFAULT '{}',
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, reference)
      )`);
      await session.query(`CREATE INDEX sandbox_ledger_movement_card ON sandbox_ledger_movement (tenant_id, card_token, kind, create_date)`);
      await session.query(`CREATE TABLE sandbox_ledger_posting (
        tenant_id uuid NOT NULL,
        movement_id uuid NOT NULL,
        account_code text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
        balance_after_minor bigint NOT NULL,
        PRIMARY KEY (tenant_id, movement_id, account_code),
        FOREIGN KEY (tenant_id, movement_id) REFERENCES sandbox_ledger_movement (tenant_id, id),
        FOREIGN KEY (tenant_id, account_code) REFERENCES sandbox_ledger_account (tenant_id, code)
      )`);
      await session.query(`CREATE INDEX sandbox_ledger_posting_account ON sandbox_ledger_posting (tenant_id, account_code)`);
      // Checked at commit, once every posting of the movement is in: a movement that does not
      // balance cannot be committed at all.
      await session.query(`CREATE FUNCTION sandbox_ledger_movement_balances() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT sum(amount_minor) FROM sandbox_ledger_posting
              WHERE tenant_id = NEW.tenant_id AND movement_id = NEW.movement_id) <> 0 THEN
            RAISE EXCEPTION 'ledger movement % does not balance', NEW.movement_id USING ERRCODE = '23514';
          END IF;
          RETURN NULL;
        END $$`);
      await session.query(`CREATE CONSTRAINT TRIGGER sandbox_ledger_posting_balanced
        AFTER INSERT ON sandbox_ledger_posting DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION sandbox_ledger_movement_balances()`);
      // Postings are history: a correction is a new movement, never an edit.
      await session.query(`CREATE FUNCTION sandbox_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'ledger postings and movements are append-only' USING ERRCODE = '55000';
        END $$`);
      await session.query(`CREATE TRIGGER sandbox_ledger_posting_append_only BEFORE UPDATE OR DELETE ON sandbox_ledger_posting
        FOR EACH ROW EXECUTE FUNCTION sandbox_ledger_append_only()`);
      await session.query(`CREATE TRIGGER sandbox_ledger_movement_append_only BEFORE UPDATE OR DELETE ON sandbox_ledger_movement
        FOR EACH ROW EXECUTE FUNCTION sandbox_ledger_append_only()`);
    },
  },
  {
    version: 612,
    name: "sandbox ledger: a tenant reset may remove its tenant's history",
    async up(session) {
      // Still no edits, and no deletes but the one a reset of the whole tenant declares in its
      // own transaction (platform/tenant/reset.ts): the tenant's books go with everything they record.
      await session.query(`CREATE OR REPLACE FUNCTION sandbox_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('deuterium.reset_tenant', true) = OLD.tenant_id::text THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'ledger postings and movements are append-only' USING ERRCODE = '55000';
        END $$`);
    },
  },
];
