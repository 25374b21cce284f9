import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import { addDays } from '../calendar.ts';
import type { CardSpend } from './spending-rules.ts';

/** How long an approval counts against limits when no card transaction settles it. */
export const HOLD_DAYS = 7;

export interface Hold extends CardSpend {
  id: string;
}

/**
 * Serialises decisions on one holder's cards until the end of the transaction, so two
 * concurrent purchases cannot both pass a limit only one of them fits.
 */
export async function lockHolder(tx: Queryable, tenantId: string, holder: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`proton_card_hold:${tenantId}:${holder}`]);
}

/** The holder's holds still in force on `day`, oldest first. */
export async function activeHolds(tx: Queryable, tenantId: string, holder: string, day: string): Promise<Hold[]> {
  const rows = await tx.query<{ id: string; day: string; amount: string; currency_code: string; facts: Omit<CardSpend, 'day' | 'cents'> }>(
    `SELECT id::text AS id, to_char(day, 'YYYY-MM-DD') AS day, amount_cents::text AS amount, currency_code, facts
     FROM proton_card_hold WHERE tenant_id = $1 AND holder = $2 AND expires_on > $3::date ORDER BY day, create_date`,
    [tenantId, holder, day],
  );
  return rows.map((row) => ({ ...row.facts, id: row.id, day: row.day, cents: Number(row.amount), currency: row.currency_code }));
}

/** Remembers an approval until its card transaction is recorded; returns the hold's id. */
export async function addHold(tx: Queryable, tenantId: string, holder: string, cardId: string, spend: CardSpend, currency: string): Promise<string> {
  const id = randomUUID();
  const { day, cents, ...facts } = spend;
  await tx.query(
    `INSERT INTO proton_card_hold (tenant_id, id, holder, card_id, day, amount_cents, currency_code, facts, expires_on)
     VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8::jsonb, $9::date)`,
    [tenantId, id, holder, cardId, day, cents, currency, JSON.stringify(facts), addDays(day, HOLD_DAYS)],
  );
  return id;
}
