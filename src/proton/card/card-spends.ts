import type { Queryable } from '../../platform/db/database.ts';
import type { Doc } from '../../platform/entity/store.ts';
import type { SqlParams } from '../../platform/list/filter.ts';
import type { ViewReader } from '../../nucleus/views/reader.ts';
import { Decimal } from '../money.ts';
import { CARD_TRANSACTION_TYPES, type CardSpend, type CardTransactionType, type SpendingControl } from './spending-rules.ts';

/**
 * Card transactions as Nucleus stores them: portfolio transactions on the portfolio a card
 * draws on. Which of them are spending is told by their transaction code: its
 * transaction_type when that names a card transaction type, else Electron's own codes, else
 * any code that is neither a deposit nor a transfer.
 */
const ELECTRON_CODES: Record<string, CardTransactionType | null> = {
  ELECTRON_CARD_PURCHASE: 'purchase',
  ELECTRON_CARD_ATM: 'atm_withdrawal',
  ELECTRON_CARD_DEBIT: 'other',
  ELECTRON_CARD_LOAD: null,
  ELECTRON_CARD_UNLOAD: null,
  ELECTRON_CARD_ACH: null,
};

export function spendTypeOf(code: Doc | null | undefined): CardTransactionType | null {
  if (!code) return 'purchase';
  const declared = code.transaction_type;
  if (typeof declared === 'string' && (CARD_TRANSACTION_TYPES as readonly string[]).includes(declared)) return declared as CardTransactionType;
  const electron = ELECTRON_CODES[String(code.transaction_code)];
  if (electron !== undefined) return electron;
  return code.is_deposit === true || code.is_transfer === true ? null : 'purchase';
}

/** A stored amount as whole cents, half away from zero; card transactions are counted by size. */
export function centsOf(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === '') return 0;
  return new Decimal(amount).abs().toDecimalPlaces(2, Decimal.ROUND_HALF_UP).times(100).toNumber();
}

export interface StoredCardSpend extends CardSpend {
  id: string;
  portfolioId: string;
  status: string | null;
  cleansed: boolean;
  /** The authorization hold this transaction settles, if it names one. */
  secondaryId: string | null;
  subcategory?: string;
}

export interface SpendRow {
  id: string;
  portfolio_id: string;
  date: string;
  amount: string | null;
  currency: string | null;
  status: string | null;
  cleansed: string | null;
  secondary_id: string | null;
  merchant: string | null;
  merchant_id: string | null;
  mid: string | null;
  mcc: string | null;
  category_id: string | null;
  category: string | null;
  subcategory: string | null;
  country: string | null;
  code: Doc | null;
}

export interface SpendFilter {
  /** First day included. */
  from?: string;
  /** First day excluded. */
  until?: string;
  statuses?: readonly string[] | null;
  onlyCleansed?: boolean;
}

/** One stored portfolio transaction: the spending it records, or null when it records none. */
export interface CardRow {
  id: string;
  spend: StoredCardSpend | null;
}

/** The spending on the given portfolios, oldest first, within the filter. */
export async function loadCardSpends(reader: ViewReader, portfolioIds: readonly string[], filter: SpendFilter = {}): Promise<StoredCardSpend[]> {
  return (await readCardRows(reader, portfolioIds, filter)).map((row) => row.spend).filter((spend): spend is StoredCardSpend => spend !== null);
}

/** The columns of a SpendRow, over the portfolio transactions `r`. */
function spendColumns(codes: string): string {
  return `r.id::text AS id, r.doc->>'portfolio_id' AS portfolio_id, r.doc->>'date' AS date, r.doc->>'amount' AS amount,
    r.doc->>'currency_code' AS currency, r.doc->>'status' AS status, r.doc->>'is_cleansed' AS cleansed, r.doc->>'secondary_id' AS secondary_id,
    r.doc->>'merchant' AS merchant, r.doc->>'merchant_id' AS merchant_id, r.doc->>'mid' AS mid, r.doc->>'merchant_category_code' AS mcc,
    r.doc->>'transaction_category_id' AS category_id, r.doc->>'category' AS category, r.doc->>'subcategory' AS subcategory, r.doc->'location'->>'country' AS country,
    (SELECT c.doc FROM ${codes} c WHERE c.tenant_id = r.tenant_id AND c.id = (r.doc->>'transaction_code_id')::uuid) AS code`;
}

/** The portfolio transactions on the given portfolios within the filter, oldest first. */
export async function readCardRows(reader: ViewReader, portfolioIds: readonly string[], filter: SpendFilter = {}): Promise<CardRow[]> {
  if (portfolioIds.length === 0) return [];
  const where = (p: SqlParams) =>
    [
      `r.doc->>'portfolio_id' = ANY(${p.add([...portfolioIds])}::text[])`,
      filter.from !== undefined ? `r.doc->>'date' >= ${p.add(filter.from)}` : '',
      filter.until !== undefined ? `r.doc->>'date' < ${p.add(filter.until)}` : '',
      filter.statuses ? `r.doc->>'status' = ANY(${p.add([...filter.statuses])}::text[])` : '',
      filter.onlyCleansed ? `(r.doc->>'is_cleansed')::boolean IS TRUE` : '',
    ]
      .filter(Boolean)
      .join(' AND ');
  const rows = await reader.select<SpendRow>('portfolio_transaction', where, {
    columns: spendColumns(reader.store('transaction_code').table),
    tail: `ORDER BY r.doc->>'date', r.create_date`,
  });
  return rows.map(cardRowOf);
}

/**
 * SQL: the tenant's portfolio transactions on the portfolios (SQL text[]) stored or changed
 * after an instant (SQL timestamptz), whatever their date, as a JSON array of SpendRows. They
 * are found through the index on update_date before their portfolio is looked at: a planner
 * without fresh statistics would otherwise walk a year of the portfolio's rows to find the few
 * changed. Reads the whole tenant, never a caller's view of it.
 */
export function changedRowsSql(tables: { transactions: string; codes: string }, tenant: string, portfolios: string, after: string): string {
  return `(WITH changed AS MATERIALIZED (SELECT * FROM ${tables.transactions} WHERE tenant_id = ${tenant} AND update_date > ${after})
    SELECT coalesce(json_agg(rows), '[]') FROM (SELECT ${spendColumns(tables.codes)} FROM changed r WHERE r.doc->>'portfolio_id' = ANY(${portfolios})) rows)`;
}

/** The rows changedRowsSql finds, read on their own. */
export async function changedCardRows(db: Queryable, tables: { transactions: string; codes: string }, tenantId: string, portfolioIds: readonly string[], after: string): Promise<CardRow[]> {
  if (portfolioIds.length === 0) return [];
  const [row] = await db.query<{ rows: SpendRow[] }>(`SELECT ${changedRowsSql(tables, '$1::uuid', '$3::text[]', '$2::timestamptz')} AS rows`, [tenantId, after, [...portfolioIds]]);
  return row.rows.map(cardRowOf);
}

export function cardRowOf(row: SpendRow): CardRow {
  const type = spendTypeOf(row.code);
  const spend: StoredCardSpend | null = type && {
    id: row.id,
    portfolioId: row.portfolio_id,
    day: row.date.slice(0, 10),
    cents: centsOf(row.amount),
    type,
    status: row.status,
    cleansed: row.cleansed === 'true',
    secondaryId: row.secondary_id,
    ...(row.currency ? { currency: row.currency } : {}),
    ...(row.merchant ? { merchant: row.merchant } : {}),
    ...(row.merchant_id ? { merchantId: row.merchant_id } : {}),
    ...(row.mid ? { mid: row.mid } : {}),
    ...(row.mcc ? { mcc: row.mcc } : {}),
    ...(row.category_id ? { categoryId: row.category_id } : {}),
    ...(row.category ? { category: row.category } : {}),
    ...(row.subcategory ? { subcategory: row.subcategory } : {}),
    ...(row.country ? { country: row.country } : {}),
  };
  return { id: row.id, spend };
}

/** A Nucleus spending_control record as the rules read it. */
export function controlOf(id: string, doc: Doc): SpendingControl {
  const limit = typeof doc.limit_value === 'number' ? doc.limit_value : undefined;
  return {
    id,
    type: String(doc.control_type),
    scope: String(doc.control_scope),
    values: Array.isArray(doc.control_values) ? doc.control_values.map(String) : [],
    ...(limit === undefined ? {} : { limit: doc.control_type === 'spending_limit' ? centsOf(limit) : limit }),
    ...(typeof doc.frequency_unit === 'string' ? { unit: doc.frequency_unit } : {}),
    frequency: typeof doc.frequency === 'number' && doc.frequency >= 1 ? doc.frequency : 1,
    currency: String(doc.currency_code),
  };
}

/**
 * SQL: whether the spending control `s` governs the cards of the client whose id is the SQL
 * text `client` ('' for none): active, and naming the client, a group the client is in
 * (client.group), or neither (the whole program's).
 */
export function governsClient(s: string, client: string, clientsTable: string): string {
  return `(${s}.doc->>'is_active')::boolean IS NOT FALSE AND (
    (${s}.doc->>'client_id' IS NULL AND ${s}.doc->>'client_group' IS NULL)
    OR ${s}.doc->>'client_id' = ${client}
    OR ${s}.doc->>'client_group' IN (SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(g.doc->'group') = 'array' THEN g.doc->'group' ELSE '[]'::jsonb END)
      FROM ${clientsTable} g WHERE g.tenant_id = ${s}.tenant_id AND g.id = CAST(NULLIF(${client}, '') AS uuid)))`;
}

/** The controls that govern a client's cards (see governsClient), oldest first. */
export async function controlsOfHolder(reader: ViewReader, clientId: string | null): Promise<SpendingControl[]> {
  const clients = reader.store('client').table;
  const rows = await reader.select('spending_control', (p) => governsClient('r', p.add(clientId ?? ''), clients), { tail: 'ORDER BY r.create_date, r.id' });
  return rows.map((row) => controlOf(row.id, row.doc));
}

/** The portfolios of all the client's cards, whose spending the client's limits count. */
export async function holderPortfolios(reader: ViewReader, clientId: string): Promise<string[]> {
  const cards = await reader.select<{ portfolio_id: string }>('card', (p) => `r.doc->>'client_id' = ${p.add(clientId)}`, {
    columns: `r.doc->>'portfolio_id' AS portfolio_id`,
  });
  return [...new Set(cards.map((c) => c.portfolio_id))];
}
