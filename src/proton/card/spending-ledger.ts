import type { Queryable } from '../../platform/db/database.ts';
import type { WriteStatement } from '../../platform/entity/write-statement.ts';
import { deriveSchemas } from '../../platform/entity/schemas.ts';
import { FieldExpressions, type FieldPath } from '../../platform/read/fields.ts';
import portfolioTransaction from '../../nucleus/portfolio/portfolio-transaction.entity.ts';
import transactionCode from '../../nucleus/investing/transaction-code.entity.ts';
import { CARD_TRANSACTION_TYPES, type CardTransactionType } from './spending-rules.ts';

/**
 * The spending ledger (proton_card_spending): what each portfolio a card draws on has spent,
 * per UTC day and per set of facts the spending controls match on (type, currency, status,
 * merchant, ...), in minor units. As in TigerBeetle, a row has posted and pending balances:
 * posted sums the card transactions (portfolio transactions whose code makes them spending),
 * pending the approvals held (proton_card_hold) that no card transaction has settled yet. Every
 * write of a card transaction, a transaction code or a hold moves the ledger in its own
 * statement, so a decision reads the spending it needs from here alone, on any server.
 *
 * Each day row (span 'day') is summed again into its month's row (span 'month', dated the
 * first of the month), so that a limit over a year reads a dozen rows per set of facts, and
 * days only where a window starts inside a month or holds may still count.
 *
 * Invariants, kept by every move:
 * 1. Balances and counts are never negative, amounts are whole minor units, each pending hold
 *    holds at least one unit, and a posted amount has a posted count. The table's constraints
 *    say so, so a move that takes back more than a row holds fails its write.
 * 2. posted of a day row = the sum and count of the spending transactions with its key (postedSql).
 * 3. pending of a day row = the sum and count of the unsettled holds with its key.
 * 4. A hold is settled by at most one card transaction, one that names it in secondary_id, and
 *    is left unsettled only when none names it.
 * 5. A month row holds the sums of its month's day rows with the same facts.
 * ledgerDiscrepancies recomputes 2-5 from the records; the tests check it after every step.
 */
export const SPENDING_TABLE = 'proton_card_spending';

/** Electron's own transaction codes, which say whether a card transaction is spending. */
const ELECTRON_CODES: Record<string, CardTransactionType | null> = {
  ELECTRON_CARD_PURCHASE: 'purchase',
  ELECTRON_CARD_ATM: 'atm_withdrawal',
  ELECTRON_CARD_DEBIT: 'other',
  ELECTRON_CARD_LOAD: null,
  ELECTRON_CARD_UNLOAD: null,
  ELECTRON_CARD_ACH: null,
};

const literal = (value: string | null) => (value === null ? 'NULL' : `'${value}'`);

// Field expressions from the declarations, since the ledger's statements name their tables
// rather than read through a store: the write hook's, the audit's, and the migrations', which
// run before any store is built.
const TRANSACTION_RECORD = deriveSchemas(portfolioTransaction).record;
export const transactionFields = (alias: string) => new FieldExpressions('portfolio_transaction', TRANSACTION_RECORD, alias);
const T = transactionFields('t');
const K = new FieldExpressions('transaction_code', deriveSchemas(transactionCode).record, 'k');

/**
 * SQL: the card transaction type of a transaction whose code is the SQL jsonb `code` (NULL when
 * it has none), or NULL when it is not spending: the code's transaction_type when that names a
 * card transaction type, else Electron's own codes, else any code that is neither a deposit
 * nor a transfer.
 */
export function spendTypeSql(code: string): string {
  const electron = Object.entries(ELECTRON_CODES).map(([name, type]) => `WHEN '${name}' THEN ${literal(type)}`);
  return `(SELECT CASE WHEN ${K.alias}.doc IS NULL THEN 'purchase'
    WHEN ${K.text('transaction_type')} IN (${CARD_TRANSACTION_TYPES.map(literal).join(', ')}) THEN ${K.text('transaction_type')}
    WHEN ${K.text('transaction_code')} IN (${Object.keys(ELECTRON_CODES).map(literal).join(', ')}) THEN CASE ${K.text('transaction_code')} ${electron.join(' ')} END
    WHEN ${K.json('is_deposit')} = 'true'::jsonb OR ${K.json('is_transfer')} = 'true'::jsonb THEN NULL
    ELSE 'purchase' END FROM (SELECT ${code} AS doc) ${K.alias})`;
}

/** SQL: the type of the portfolio transaction `t` by the code it names, as stored in `codes`. */
export function storedSpendTypeSql(codes: string): string {
  return spendTypeSql(`(SELECT c.doc FROM ${codes} c WHERE c.tenant_id = t.tenant_id AND c.id = ${T.value('transaction_code_id')})`);
}

/** The facts a card transaction is matched on, by their name in CardSpend, and the fields of a portfolio transaction that keep them. */
const FACT_FIELDS: Record<string, FieldPath<'portfolio_transaction'>> = {
  currency: 'currency_code',
  merchant: 'merchant',
  merchantId: 'merchant_id',
  mid: 'mid',
  mcc: 'merchant_category_code',
  categoryId: 'transaction_category_id',
  category: 'category',
  country: 'location.country',
};

/**
 * SQL selecting the ledger key (tenant_id, portfolio_id, day, facts) and the amount (cents) of
 * each spending transaction among `from` (portfolio transactions known as t, with tenant_id and
 * doc) that meet `where`, typed by `type` (SQL over t). An empty fact counts as none; the
 * amount is its size in hundredths, rounded half away from zero as centsOf does. A date in
 * the year 0, which JSON Schema's date-time allows and PostgreSQL's date does not, is in no
 * limit window, and left out rather than refusing the transaction.
 */
export function postedSql(from: string, where: string, type: string): string {
  const facts = Object.entries(FACT_FIELDS).map(([name, path]) => `'${name}', NULLIF(${T.text(path)}, '')`);
  return `SELECT t.tenant_id, ${T.value('portfolio_id')} AS portfolio_id, ${T.day('date')}::date AS day,
      jsonb_strip_nulls(jsonb_build_object('type', x.type, 'status', ${T.text('status')}, ${facts.join(', ')})) AS facts,
      round(abs(coalesce(${T.value('amount')}, 0)) * 100) AS cents
    FROM ${from} CROSS JOIN LATERAL (SELECT ${type} AS type) x
    WHERE x.type IS NOT NULL AND left(${T.text('date')}, 4) <> '0000' AND (${where})`;
}

/** A change to the ledger: SQL selecting (tenant_id, portfolio_id, day, facts, cents), and what each row moves. */
export interface Move {
  rows: string;
  balance: 'posted' | 'pending';
  sign: 1 | -1;
}

const COLUMNS = ['posted_cents', 'posted_count', 'pending_cents', 'pending_count'] as const;
const KEY = ['tenant_id', 'portfolio_id', 'span', 'day', 'facts_key'];

function deltaSql({ rows, balance, sign }: Move): string {
  const amounts = balance === 'posted' ? `${sign} * m.cents, ${sign}, 0, 0` : `0, 0, ${sign} * m.cents, ${sign}`;
  return `SELECT m.tenant_id, m.portfolio_id, m.day, m.facts, ${amounts} FROM (${rows}) m`;
}

/**
 * Adds the moves to `write`, netted per ledger row, day and month alike. Moves that only add
 * (a hold, a new card transaction) are one upsert. Otherwise a row the statement's snapshot
 * holds is updated, so that a move taking back more than it holds breaks invariant 1 there
 * (PostgreSQL checks an upsert's proposed row before finding the row it conflicts with, so a
 * negative one would fail even where it fits); a new one is inserted, or added to when a
 * concurrent write inserted it first. Each row is touched by one part only, since a statement
 * must not change a row twice, and in key order, so that two writes moving the same rows wait
 * for each other instead of deadlocking.
 */
export function moveSpending(write: WriteStatement, moves: Move[]): void {
  const sums = COLUMNS.map((column) => `sum(d.${column}) AS ${column}`).join(', ');
  const netted = `SELECT d.tenant_id, d.portfolio_id, s.span, s.day, d.facts, md5(d.facts::text)::uuid AS facts_key, ${sums}
     FROM (${moves.map(deltaSql).join(' UNION ALL ')}) AS d (tenant_id, portfolio_id, day, facts, ${COLUMNS.join(', ')})
     CROSS JOIN LATERAL (VALUES ('day', d.day), ('month', date_trunc('month', d.day)::date)) AS s (span, day)
     GROUP BY d.tenant_id, d.portfolio_id, s.span, s.day, d.facts HAVING ${COLUMNS.map((column) => `sum(d.${column}) <> 0`).join(' OR ')}`;
  const insert = (rows: string) =>
    `INSERT INTO ${SPENDING_TABLE} AS l (tenant_id, portfolio_id, span, day, facts, ${COLUMNS.join(', ')})
     SELECT tenant_id, portfolio_id, span, day, facts, ${COLUMNS.join(', ')} FROM ${rows} ORDER BY portfolio_id, span, day, facts_key
     ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${COLUMNS.map((column) => `${column} = l.${column} + EXCLUDED.${column}`).join(', ')}`;
  if (moves.every((move) => move.sign === 1)) {
    write.add(insert(`(${netted}) n`));
    return;
  }
  const part = write.add(`${netted} ORDER BY portfolio_id, span, day, facts_key`);
  const sameRow = (a: string, b: string) => KEY.map((key) => `${a}.${key} = ${b}.${key}`).join(' AND ');
  write.add(`UPDATE ${SPENDING_TABLE} l SET ${COLUMNS.map((column) => `${column} = l.${column} + n.${column}`).join(', ')} FROM ${part} n WHERE ${sameRow('l', 'n')}`);
  write.add(insert(`${part} n WHERE NOT EXISTS (SELECT 1 FROM ${SPENDING_TABLE} o WHERE ${sameRow('o', 'n')})`));
}

/** What a ledger row holds, beside what its records say it should. */
export interface Discrepancy {
  span: string;
  portfolio_id: string;
  day: string;
  facts: Record<string, unknown>;
  ledger: string;
  records: string;
}

/**
 * The tenant's breaches of invariants 2-5: ledger rows that differ from what the card
 * transactions and holds (or, for a month, its days) recompute to, and holds settled otherwise
 * than invariant 4 says.
 * Reads every row of the tenant's: for tests and audits, never for a decision.
 */
export async function ledgerDiscrepancies(db: Queryable, tenantId: string, tables: { transactions: string; codes: string }): Promise<{ rows: Discrepancy[]; holds: string[] }> {
  const balances = (row: string) => COLUMNS.map((column) => `${row}.${column}`).join(', ');
  const rows = await db.query<Discrepancy>(
    `WITH records AS (
       SELECT 'day' AS span, portfolio_id, day, facts, ${COLUMNS.map((column) => `sum(${column}) AS ${column}`).join(', ')}
       FROM (SELECT portfolio_id, day, facts, cents AS posted_cents, 1 AS posted_count, 0 AS pending_cents, 0 AS pending_count
               FROM (${postedSql(`${tables.transactions} t`, 't.tenant_id = $1', storedSpendTypeSql(tables.codes))}) p
             UNION ALL SELECT portfolio_id, day, facts, 0, 0, amount_cents, 1 FROM proton_card_hold WHERE tenant_id = $1 AND settled_by IS NULL) r
       GROUP BY portfolio_id, day, facts),
     expected AS (
       SELECT * FROM records
       UNION ALL SELECT 'month', portfolio_id, date_trunc('month', day)::date, facts, ${COLUMNS.map((column) => `sum(${column})`).join(', ')}
         FROM ${SPENDING_TABLE} WHERE tenant_id = $1 AND span = 'day' GROUP BY portfolio_id, date_trunc('month', day), facts),
     ledger AS (SELECT * FROM ${SPENDING_TABLE} WHERE tenant_id = $1 AND (posted_count > 0 OR pending_count > 0))
     SELECT span, portfolio_id::text, day::text, facts, concat_ws(' ', ${balances('l')}) AS ledger, concat_ws(' ', ${balances('r')}) AS records
     FROM ledger l FULL JOIN (SELECT * FROM expected WHERE posted_count > 0 OR pending_count > 0) r USING (span, portfolio_id, day, facts)
     WHERE (${balances('l')}) IS DISTINCT FROM (${balances('r')})
     ORDER BY 1, 2, 3`,
    [tenantId],
  );
  const holds = await db.query<{ id: string }>(
    `SELECT h.id::text FROM proton_card_hold h
     LEFT JOIN ${tables.transactions} t ON t.tenant_id = h.tenant_id AND t.id = h.settled_by
     WHERE h.tenant_id = $1 AND CASE WHEN h.settled_by IS NULL
       THEN EXISTS (SELECT 1 FROM ${tables.transactions} n WHERE n.tenant_id = h.tenant_id AND ${transactionFields('n').text('secondary_id')} = h.id::text)
       ELSE ${T.text('secondary_id')} IS DISTINCT FROM h.id::text END`,
    [tenantId],
  );
  return { rows, holds: holds.map((hold) => hold.id) };
}
