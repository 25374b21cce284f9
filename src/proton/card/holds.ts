import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import { addDays } from '../calendar.ts';
import type { CardSpend } from './spending-rules.ts';

/** How long an approval counts against limits when no card transaction settles it. */
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

/** Holds alike in all but their id, which the decision counts together. */
export interface HeldAlike {
  spend: CardSpend;
  ids: string[];
}

/** A row of activeHoldsSql's array: day, amount in cents, currency, facts and the ids joined by commas. */
export type HeldRow = [string, number, string, Omit<CardSpend, 'day' | 'cents'>, string];

/**
 * SQL: the holder's (SQL text) holds still in force on a day (SQL date) and made for a day up
 * to it, as a JSON array of HeldRows: those with the same day, amount, currency and facts
 * together, so that a card approved many times with little settled yet is read as a few rows.
 */
export function activeHoldsSql(tenant: string, holder: string, day: string): string {
  return `(SELECT coalesce(json_agg(json_build_array(held.day, held.amount_cents, held.currency_code, held.facts, held.ids)), '[]') FROM (
    SELECT day, amount_cents, currency_code, facts, string_agg(id::text, ',') AS ids FROM proton_card_hold
    WHERE tenant_id = ${tenant} AND holder = ${holder} AND expires_on > ${day} AND day <= ${day}
    GROUP BY day, amount_cents, currency_code, facts) held)`;
}

export function heldAlike(rows: HeldRow[]): HeldAlike[] {
  return rows.map(([day, cents, currency, facts, ids]) => ({ spend: { ...facts, day, cents, currency }, ids: ids.split(',') }));
}

/** One hold as stored: what it was made for, and its id. */
export interface HoldRecord {
  id: string;
  spend: CardSpend;
}

/** A row of holdRecordsSql's array: id, day, amount in cents, currency and facts. */
export type HoldRecordRow = [string, string, number, string, Omit<CardSpend, 'day' | 'cents' | 'currency'>];

/**
 * SQL: every hold of the holder (SQL text) still in force on a day (SQL date) or later, one by
 * one, as a JSON array of HoldRecordRows, for a memory of the holder's holds to start from.
 */
export function holdRecordsSql(tenant: string, holder: string, day: string): string {
  return `(SELECT coalesce(json_agg(json_build_array(id, day, amount_cents, currency_code, facts)), '[]') FROM proton_card_hold
    WHERE tenant_id = ${tenant} AND holder = ${holder} AND expires_on > ${day})`;
}

export function holdRecordsOf(rows: HoldRecordRow[]): HoldRecord[] {
  return rows.map(([id, day, cents, currency, facts]) => ({ id, spend: { ...facts, day, cents, currency } }));
}

/** The holds activeHoldsSql finds, read on their own. */
export async function activeHolds(tx: Queryable, tenantId: string, holder: string, day: string): Promise<HeldAlike[]> {
  const [row] = await tx.query<{ held: HeldRow[] }>(`SELECT ${activeHoldsSql('$1::uuid', '$2::text', '$3::date')} AS held`, [tenantId, holder, day]);
  return heldAlike(row.held);
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
