import type { Migration } from '../../platform/db/migrations.ts';

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
];
