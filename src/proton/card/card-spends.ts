import type { Doc } from '../../platform/entity/store.ts';
import type { SqlParams } from '../../platform/list/filter.ts';
import type { ViewReader } from '../../nucleus/views/reader.ts';
import { Decimal } from '../money.ts';
import type { CardSpend, CardTransactionType, SpendingControl } from './spending-rules.ts';
import { storedSpendTypeSql } from './spending-ledger.ts';

/** A stored amount as whole cents, half away from zero; card transactions are counted by size. */
export function centsOf(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === '') return 0;
  return new Decimal(amount).abs().toDecimalPlaces(2, Decimal.ROUND_HALF_UP).times(100).toNumber();
}

/**
 * A card transaction as Nucleus stores it: a portfolio transaction on the portfolio a card
 * draws on, which its transaction code says is spending (spendTypeSql).
 */
export interface StoredCardSpend extends CardSpend {
  portfolioId: string;
  subcategory?: string;
}

interface SpendRow {
  portfolio_id: string;
  date: string;
  amount: string | null;
  currency: string | null;
  type: CardTransactionType | null;
  merchant: string | null;
  merchant_id: string | null;
  mid: string | null;
  mcc: string | null;
  category_id: string | null;
  category: string | null;
  subcategory: string | null;
  country: string | null;
}

export interface SpendFilter {
  /** First day included. */
  from?: string;
  /** First day excluded. */
  until?: string;
  statuses?: readonly string[] | null;
  onlyCleansed?: boolean;
}

/** The spending on the given portfolios within the filter, oldest first. */
export async function loadCardSpends(reader: ViewReader, portfolioIds: readonly string[], filter: SpendFilter = {}): Promise<StoredCardSpend[]> {
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
  const codes = reader.store('transaction_code').table;
  const rows = await reader.select<SpendRow>('portfolio_transaction', where, {
    columns: `r.doc->>'portfolio_id' AS portfolio_id, r.doc->>'date' AS date, r.doc->>'amount' AS amount, r.doc->>'currency_code' AS currency,
      (SELECT ${storedSpendTypeSql(codes)} FROM (SELECT r.tenant_id, r.doc) t) AS type,
      r.doc->>'merchant' AS merchant, r.doc->>'merchant_id' AS merchant_id, r.doc->>'mid' AS mid, r.doc->>'merchant_category_code' AS mcc,
      r.doc->>'transaction_category_id' AS category_id, r.doc->>'category' AS category, r.doc->>'subcategory' AS subcategory, r.doc->'location'->>'country' AS country`,
    tail: `ORDER BY r.doc->>'date', r.create_date`,
  });
  return rows.flatMap((row) => (row.type ? [spendOf(row, row.type)] : []));
}

function spendOf(row: SpendRow, type: CardTransactionType): StoredCardSpend {
  return {
    portfolioId: row.portfolio_id,
    day: row.date.slice(0, 10),
    cents: centsOf(row.amount),
    type,
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
