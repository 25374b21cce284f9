import { randomBytes, randomInt } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import { ProcessorRefusal, type CardState } from '../processor.ts';

/** Cards are valid to the end of the month three years after issue, as is common for debit cards. */
const VALID_YEARS = 3;

export interface SandboxCard {
  token: string;
  cardholderId: string;
  lastFour: string;
  expiryDate: string;
  state: CardState;
  replacedByToken: string | null;
}

interface CardRow {
  token: string;
  cardholder_id: string;
  last_four: string;
  expiry_date: Date | string;
  state: CardState;
  replaced_by_token: string | null;
}

function day(value: Date | string): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

function fromRow(row: CardRow): SandboxCard {
  return {
    token: row.token,
    cardholderId: row.cardholder_id,
    lastFour: row.last_four,
    expiryDate: day(row.expiry_date),
    state: row.state,
    replacedByToken: row.replaced_by_token,
  };
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/**
 * A new card's visible particulars. The sandbox has no card vault, so it never makes a full
 * card number at all: only the last four digits a cardholder would be shown.
 */
export function newCardParticulars(now: Date): { token: string; lastFour: string; expiryDate: string } {
  const expiry = new Date(Date.UTC(now.getUTCFullYear() + VALID_YEARS, now.getUTCMonth() + 1, 0));
  return { token: newId('card'), lastFour: String(randomInt(0, 10_000)).padStart(4, '0'), expiryDate: day(expiry) };
}

export const sandboxCards = {
  async get(db: Queryable, tenantId: string, token: string): Promise<SandboxCard> {
    const [row] = await db.query<CardRow>(
      'SELECT token, cardholder_id, last_four, expiry_date, state, replaced_by_token FROM sandbox_card WHERE tenant_id = $1 AND token = $2',
      [tenantId, token],
    );
    if (!row) throw new ProcessorRefusal('unknown_card', 'the processor has no such card');
    return fromRow(row);
  },

  async insert(db: Queryable, tenantId: string, cardholderId: string, now: Date): Promise<SandboxCard> {
    const card = newCardParticulars(now);
    const [row] = await db.query<CardRow>(
      `INSERT INTO sandbox_card (tenant_id, token, cardholder_id, last_four, expiry_date, state)
       VALUES ($1, $2, $3, $4, $5, 'issued') RETURNING token, cardholder_id, last_four, expiry_date, state, replaced_by_token`,
      [tenantId, card.token, cardholderId, card.lastFour, card.expiryDate],
    );
    return fromRow(row);
  },

  async setState(db: Queryable, tenantId: string, token: string, state: CardState, reason: string | undefined, replacedBy?: string): Promise<void> {
    await db.query(
      `UPDATE sandbox_card SET state = $3, state_reason = $4, replaced_by_token = coalesce($5, replaced_by_token), update_date = now()
       WHERE tenant_id = $1 AND token = $2`,
      [tenantId, token, state, reason ?? null, replacedBy ?? null],
    );
  },

  async cardholderProfile(db: Queryable, tenantId: string, cardholderId: string, lock = false): Promise<Record<string, unknown>> {
    const [row] = await db.query<{ profile: Record<string, unknown> }>(
      `SELECT profile FROM sandbox_cardholder WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [tenantId, cardholderId],
    );
    if (!row) throw new ProcessorRefusal('unknown_cardholder', 'the processor has no such cardholder');
    return row.profile;
  },

  async tokensOf(db: Queryable, tenantId: string, cardholderId: string): Promise<string[]> {
    const rows = await db.query<{ token: string }>('SELECT token FROM sandbox_card WHERE tenant_id = $1 AND cardholder_id = $2', [tenantId, cardholderId]);
    return rows.map((r) => r.token);
  },
};
