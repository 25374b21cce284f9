import type { Migration } from '../../platform/db/migrations.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { deriveSchemas } from '../../platform/entity/schemas.ts';
import { FieldExpressions } from '../../platform/read/fields.ts';
import card from '../../nucleus/card/card.entity.ts';
import { postedSql, SPENDING_TABLE, storedSpendTypeSql } from './spending-ledger.ts';

// Entity tables are made after the migrations, so on a new database they are not there yet (nor anything in them).
const TRANSACTIONS = 'nucleus_portfolio_transaction';
const CODES = 'nucleus_transaction_code';
const CARDS = 'nucleus_card';

async function entityTablesExist(session: Queryable): Promise<boolean> {
  const [row] = await session.query<{ exist: boolean }>(
    `SELECT to_regclass('${TRANSACTIONS}') IS NOT NULL AND to_regclass('${CODES}') IS NOT NULL AND to_regclass('${CARDS}') IS NOT NULL AS exist`,
  );
  return row.exist;
}

/** Proton's card family: 700-799. */
export const protonCardMigrations: Migration[] = [
  {
    version: 700,
    name: 'proton card: approved authorizations not yet posted as card transactions',
    async up(session) {
      // A hold counts against its holder's limits until a card transaction names it in
      // secondary_id or it expires; `holder` is whose limits it counts against (the card's
      // client, or the card itself when it names none).
      await session.query(`CREATE TABLE proton_card_hold (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        holder text NOT NULL,
        card_id uuid NOT NULL,
        day date NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        currency_code text NOT NULL,
        facts jsonb NOT NULL,
        expires_on date NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query('CREATE INDEX proton_card_hold_by_holder ON proton_card_hold (tenant_id, holder, expires_on)');
    },
  },
  {
    version: 702,
    name: 'proton card: no change counters (they served the embedded PGlite database only)',
    async up(session) {
      // Migration 701 and the entity tables of earlier versions made statement triggers move
      // sequences that a memory of card rules kept on PGlite read; every write paid for them.
      await session.query(`DO $$ DECLARE t record; BEGIN
        FOR t IN SELECT DISTINCT event_object_table AS name FROM information_schema.triggers
          WHERE trigger_schema = current_schema() AND trigger_name = event_object_table || '_counts_changes' LOOP
          EXECUTE format('DROP TRIGGER %I ON %I', t.name || '_counts_changes', t.name);
        END LOOP; END $$`);
      await session.query('DROP FUNCTION IF EXISTS deuterium_count_change()');
      await session.query('DROP SEQUENCE IF EXISTS change_counter_card_rules, change_counter_card_spending');
    },
  },
  {
    version: 703,
    name: 'proton card: the spending ledger, posted and pending per portfolio, day and facts, in place of the spend cache',
    async up(session) {
      // Invariant 1 of spending-ledger.ts, as constraints.
      await session.query(`CREATE TABLE ${SPENDING_TABLE} (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        portfolio_id uuid NOT NULL,
        span text NOT NULL CHECK (span = 'day' OR span = 'month' AND day = date_trunc('month', day)),
        day date NOT NULL,
        facts jsonb NOT NULL,
        facts_key uuid GENERATED ALWAYS AS (md5(facts::text)::uuid) STORED,
        posted_cents numeric NOT NULL DEFAULT 0 CHECK (posted_cents >= 0 AND posted_cents = trunc(posted_cents)),
        posted_count bigint NOT NULL DEFAULT 0 CHECK (posted_count >= 0),
        pending_cents numeric NOT NULL DEFAULT 0 CHECK (pending_cents >= pending_count AND pending_cents = trunc(pending_cents)),
        pending_count bigint NOT NULL DEFAULT 0 CHECK (pending_count >= 0),
        CHECK (posted_count > 0 OR posted_cents = 0),
        PRIMARY KEY (tenant_id, portfolio_id, span, day, facts_key)
      )`);
      // A hold is kept on the portfolio of its card, under the facts it counts as (status
      // pending included), until the card transaction naming it settles it.
      await session.query('ALTER TABLE proton_card_hold ADD COLUMN portfolio_id uuid, ADD COLUMN settled_by uuid');
      await session.query(`UPDATE proton_card_hold SET facts = facts || jsonb_build_object('currency', currency_code, 'status', 'pending')`);
      const entities = await entityTablesExist(session);
      if (entities) {
        const cards = new FieldExpressions('card', deriveSchemas(card).record, 'c');
        await session.query(`UPDATE proton_card_hold h SET portfolio_id = ${cards.value('portfolio_id')} FROM ${CARDS} c WHERE c.tenant_id = h.tenant_id AND c.id = h.card_id`);
        await session.query(`UPDATE proton_card_hold h SET settled_by = (SELECT t.id FROM ${TRANSACTIONS} t
          WHERE t.tenant_id = h.tenant_id AND t.doc @> jsonb_build_object('secondary_id', h.id::text) ORDER BY t.create_date, t.id LIMIT 1)`);
      }
      // Holds whose card was deleted have no portfolio left to count on.
      await session.query('DELETE FROM proton_card_hold WHERE portfolio_id IS NULL');
      const posted = entities
        ? `SELECT tenant_id, portfolio_id, day, facts, cents, 1, 0, 0 FROM (${postedSql(`${TRANSACTIONS} t`, 'true', storedSpendTypeSql(CODES))}) p UNION ALL `
        : '';
      await session.query(`INSERT INTO ${SPENDING_TABLE} (tenant_id, portfolio_id, span, day, facts, posted_cents, posted_count, pending_cents, pending_count)
        SELECT tenant_id, portfolio_id, 'day', day, facts, sum(posted_cents), sum(posted_count), sum(pending_cents), sum(pending_count)
        FROM (${posted}SELECT tenant_id, portfolio_id, day, facts, 0, 0, amount_cents, 1 FROM proton_card_hold WHERE settled_by IS NULL)
          AS entry (tenant_id, portfolio_id, day, facts, posted_cents, posted_count, pending_cents, pending_count)
        GROUP BY tenant_id, portfolio_id, day, facts`);
      await session.query(`INSERT INTO ${SPENDING_TABLE} (tenant_id, portfolio_id, span, day, facts, posted_cents, posted_count, pending_cents, pending_count)
        SELECT tenant_id, portfolio_id, 'month', date_trunc('month', day), facts, sum(posted_cents), sum(posted_count), sum(pending_cents), sum(pending_count)
        FROM ${SPENDING_TABLE} GROUP BY tenant_id, portfolio_id, date_trunc('month', day), facts`);
      await session.query('ALTER TABLE proton_card_hold ALTER COLUMN portfolio_id SET NOT NULL, DROP COLUMN holder');
    },
  },
];
