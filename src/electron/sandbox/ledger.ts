import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';

/** One side of a movement: a signed amount on one account (positive raises its balance). */
export interface Leg {
  account: string;
  amountMinor: bigint;
}

export interface LockedAccount {
  code: string;
  id: string;
  balanceMinor: bigint;
  floorMinor: bigint | null;
}

export interface Movement {
  id: string;
  kind: string;
  reference: string;
  /** The card the movement is about, if any. */
  cardId: string | null;
  createDate: string;
  /** Each touched account's balance right after this movement. */
  balancesAfter: Map<string, bigint>;
  detail: Record<string, unknown>;
}

/** The account would end below its floor; nothing was written. */
export class BelowFloor extends Error {
  constructor(
    readonly account: LockedAccount,
    readonly wouldBeMinor: bigint,
  ) {
    super(`account ${account.code} would fall to ${wouldBeMinor}, below its floor of ${account.floorMinor}`);
    this.name = 'BelowFloor';
  }
}

export function cardAccount(cardId: string): string {
  return `card:${cardId}`;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

interface MovementRow {
  id: string;
  kind: string;
  reference: string;
  card_token: string | null;
  create_date: Date | string;
  detail: Record<string, unknown>;
}

/**
 * The sandbox's double-entry books. All calls take the caller's transaction: a movement, its
 * postings and the balances they change commit together or not at all, and the account rows
 * locked by `lock` are what serialises concurrent movements on one card.
 */
export const ledger = {
  /**
   * Locks the accounts (FOR UPDATE), always in code order so that two movements touching the
   * same accounts cannot deadlock. Missing accounts are simply absent from the result.
   */
  async lock(tx: Queryable, tenantId: string, codes: string[]): Promise<Map<string, LockedAccount>> {
    const rows = await tx.query<{ code: string; id: string; balance_minor: string; floor_minor: string | null }>(
      `SELECT code, id, balance_minor, floor_minor FROM sandbox_ledger_account
       WHERE tenant_id = $1 AND code = ANY($2::text[]) ORDER BY code FOR UPDATE`,
      [tenantId, [...new Set(codes)].sort()],
    );
    return new Map(
      rows.map((r) => [r.code, { code: r.code, id: r.id, balanceMinor: BigInt(r.balance_minor), floorMinor: r.floor_minor === null ? null : BigInt(r.floor_minor) }]),
    );
  },

  async openAccount(tx: Queryable, tenantId: string, code: string, currency: string, floorMinor: bigint | null): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO sandbox_ledger_account (tenant_id, code, id, currency_code, floor_minor)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING code`,
      [tenantId, code, randomUUID(), currency, floorMinor?.toString() ?? null],
    );
    return rows.length > 0;
  },

  /** The movement already recorded under this reference, with the balances it left. */
  async find(tx: Queryable, tenantId: string, reference: string): Promise<Movement | undefined> {
    const [row] = await tx.query<MovementRow>(
      'SELECT id, kind, reference, card_token, create_date, detail FROM sandbox_ledger_movement WHERE tenant_id = $1 AND reference = $2',
      [tenantId, reference],
    );
    if (!row) return undefined;
    const postings = await tx.query<{ account_code: string; balance_after_minor: string }>(
      'SELECT account_code, balance_after_minor FROM sandbox_ledger_posting WHERE tenant_id = $1 AND movement_id = $2',
      [tenantId, row.id],
    );
    return {
      id: row.id,
      kind: row.kind,
      reference: row.reference,
      cardId: row.card_token,
      createDate: iso(row.create_date),
      detail: row.detail,
      balancesAfter: new Map(postings.map((p) => [p.account_code, BigInt(p.balance_after_minor)])),
    };
  },

  /**
   * Records a balanced movement on accounts the caller has locked. Throws BelowFloor, writing
   * nothing, when an account would end below its floor.
   */
  async record(
    tx: Queryable,
    tenantId: string,
    accounts: Map<string, LockedAccount>,
    movement: { kind: string; reference: string; legs: Leg[]; cardId?: string; detail?: Record<string, unknown> },
  ): Promise<Movement> {
    const total = movement.legs.reduce((sum, leg) => sum + leg.amountMinor, 0n);
    if (total !== 0n) throw new Error(`unbalanced ${movement.kind} movement: legs sum to ${total}`);
    const after = new Map<string, bigint>();
    for (const leg of movement.legs) {
      const account = accounts.get(leg.account);
      if (!account) throw new Error(`account ${leg.account} was not locked before posting`);
      const balance = (after.get(leg.account) ?? account.balanceMinor) + leg.amountMinor;
      if (account.floorMinor !== null && balance < account.floorMinor) throw new BelowFloor(account, balance);
      after.set(leg.account, balance);
    }
    const id = randomUUID();
    const [row] = await tx.query<{ create_date: Date | string }>(
      `INSERT INTO sandbox_ledger_movement (tenant_id, id, kind, reference, card_token, detail)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING create_date`,
      [tenantId, id, movement.kind, movement.reference, movement.cardId ?? null, JSON.stringify(movement.detail ?? {})],
    );
    const legs = movement.legs;
    await tx.query(
      `INSERT INTO sandbox_ledger_posting (tenant_id, movement_id, account_code, amount_minor, balance_after_minor)
       SELECT $1, $2, leg.code, leg.amount, leg.balance
       FROM unnest($3::text[], $4::bigint[], $5::bigint[]) AS leg(code, amount, balance)`,
      [tenantId, id, legs.map((l) => l.account), legs.map((l) => l.amountMinor.toString()), legs.map((l) => after.get(l.account)!.toString())],
    );
    await tx.query(
      `UPDATE sandbox_ledger_account a SET balance_minor = b.balance, update_date = now()
       FROM unnest($2::text[], $3::bigint[]) AS b(code, balance) WHERE a.tenant_id = $1 AND a.code = b.code`,
      [tenantId, [...after.keys()], [...after.values()].map(String)],
    );
    for (const [code, balance] of after) accounts.get(code)!.balanceMinor = balance;
    return { id, kind: movement.kind, reference: movement.reference, cardId: movement.cardId ?? null, createDate: iso(row.create_date), balancesAfter: after, detail: movement.detail ?? {} };
  },
};
