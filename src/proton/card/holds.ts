import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import { WriteStatement } from '../../platform/entity/write-statement.ts';
import type { CardSpend } from './spending-rules.ts';
import { moveSpending, type Move } from './spending-ledger.ts';

/**
 * Approvals held against the limits (proton_card_hold): TigerBeetle's pending transfers. A
 * hold is pending on the ledger from its approval until a card transaction names it in
 * secondary_id, which settles it (the transaction's own amount is posted instead); it counts
 * for decisions on its day and the HOLD_DAYS - 1 after, however late a decision is taken.
 */
export const HOLD_DAYS = 7;

/**
 * SQL that takes the lock serialising decisions on one holder's cards until the end of the
 * transaction, so two concurrent purchases cannot both pass a limit only one of them fits.
 * The spending must be read by a later statement, whose snapshot sees what the previous
 * holder of the lock committed.
 */
export function holderLock(tenantSql: string, holderSql: string): string {
  return `pg_advisory_xact_lock(hashtextextended('proton_card_hold:' || ${tenantSql}::text || ':' || ${holderSql}, 0))::text`;
}

/** The ledger rows of the holds a part returned (tenant_id, portfolio_id, day, facts and amount_cents). */
function heldRows(part: string, where = 'true'): string {
  return `SELECT tenant_id, portfolio_id, day, facts, amount_cents AS cents FROM ${part} WHERE ${where}`;
}

/**
 * Holds an approval on the card's portfolio, pending under the facts it was decided on and the
 * status pending (which a transaction_status_scope leaving pending out does not count);
 * returns the hold's id.
 */
export async function addHold(tx: Queryable, tenantId: string, cardId: string, portfolioId: string, spend: CardSpend): Promise<string> {
  const id = randomUUID();
  const { day, cents, ...facts } = spend;
  const write = new WriteStatement();
  const p = write.params;
  const on = p.add(day);
  const hold = write.add(
    `INSERT INTO proton_card_hold (tenant_id, id, card_id, portfolio_id, day, amount_cents, currency_code, facts, expires_on)
     VALUES (${p.add(tenantId)}::uuid, ${p.add(id)}::uuid, ${p.add(cardId)}::uuid, ${p.add(portfolioId)}::uuid, ${on}::date, ${p.add(cents)}, ${p.add(spend.currency)},
       ${p.add(JSON.stringify({ ...facts, status: 'pending' }))}::jsonb, ${on}::date + ${HOLD_DAYS})
     RETURNING tenant_id, portfolio_id, day, facts, amount_cents`,
  );
  moveSpending(write, [{ rows: heldRows(hold), balance: 'pending', sign: 1 }]);
  await write.apply(tx);
  return id;
}

/** `tenant` and `transaction` are SQL uuids; `holdId` names a hold. */
interface Settlement {
  tenant: string;
  holdId: string;
  transaction: string;
}

/** Settles the hold a card transaction names, unless one settled it already: its amount leaves pending. */
export function settleHold(write: WriteStatement, { tenant, holdId, transaction }: Settlement): Move {
  const settled = write.add(
    `UPDATE proton_card_hold SET settled_by = ${transaction} WHERE tenant_id = ${tenant} AND id = ${write.params.add(holdId)}::uuid AND settled_by IS NULL
     RETURNING tenant_id, portfolio_id, day, facts, amount_cents`,
  );
  return { rows: heldRows(settled), balance: 'pending', sign: -1 };
}

/**
 * Hands the hold a card transaction settled, and no longer names, to another that names it, or
 * else puts it back in pending (invariant 4).
 */
export function unsettleHold(write: WriteStatement, transactions: string, { tenant, holdId, transaction }: Settlement): Move {
  const unsettled = write.add(
    `UPDATE proton_card_hold h SET settled_by = (SELECT t.id FROM ${transactions} t
       WHERE t.tenant_id = h.tenant_id AND t.doc @> jsonb_build_object('secondary_id', h.id::text) AND t.id <> ${transaction} ORDER BY t.create_date, t.id LIMIT 1)
     WHERE h.tenant_id = ${tenant} AND h.id = ${write.params.add(holdId)}::uuid AND h.settled_by = ${transaction}
     RETURNING h.tenant_id, h.portfolio_id, h.day, h.facts, h.amount_cents, h.settled_by`,
  );
  return { rows: heldRows(unsettled, 'settled_by IS NULL'), balance: 'pending', sign: 1 };
}
