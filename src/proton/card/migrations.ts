import type { Migration } from '../../platform/db/migrations.ts';
import { changeCounterDdl } from '../../platform/entity/change-counters.ts';
import { CARD_RULES_COUNTER } from './card-memory.ts';

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
    version: 701,
    name: "proton card: holds move the card rules' change counter on everything but the inserts of authorizations",
    async up(session) {
      // Authorizations add their own holds to the memory of holds they keep on PGlite
      // (card-memory.ts); any other change to the table must make that memory be read again.
      for (const statement of changeCounterDdl(CARD_RULES_COUNTER, 'proton_card_hold', 'UPDATE OR DELETE OR TRUNCATE')) await session.query(statement);
    },
  },
];
