import type { Doc } from '../../platform/entity/store.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import type { FieldExpressions } from '../../platform/read/fields.ts';
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

/** The filter's days as a condition on a date-time: from its first day, up to its end. */
export function withinDays({ from, until }: SpendFilter): { gte?: string; lt?: string } | undefined {
  return from === undefined && until === undefined ? undefined : { gte: from, lt: until };
}

/** The spending on the given portfolios within the filter, oldest first. */
export async function loadCardSpends(reader: EntityReader, portfolioIds: readonly string[], filter: SpendFilter = {}): Promise<StoredCardSpend[]> {
  if (portfolioIds.length === 0) return [];
  const codes = reader.store('transaction_code').table;
  const rows = await reader.rows<'portfolio_transaction', SpendRow>('portfolio_transaction', {
    where: {
      portfolio_id: { in: portfolioIds },
      date: withinDays(filter),
      status: filter.statuses ? { in: filter.statuses } : undefined,
      is_cleansed: filter.onlyCleansed ? true : undefined,
    },
    columns: (f) => `${f.text('portfolio_id')} AS portfolio_id, ${f.text('date')} AS date, ${f.text('amount')} AS amount, ${f.text('currency_code')} AS currency,
      (SELECT ${storedSpendTypeSql(codes)} FROM (SELECT ${f.alias}.tenant_id, ${f.alias}.doc) t) AS type,
      ${f.text('merchant')} AS merchant, ${f.text('merchant_id')} AS merchant_id, ${f.text('mid')} AS mid, ${f.text('merchant_category_code')} AS mcc,
      ${f.text('transaction_category_id')} AS category_id, ${f.text('category')} AS category, ${f.text('subcategory')} AS subcategory, ${f.text('location.country')} AS country`,
    order: (f) => `${f.text('date')}, ${f.column('create_date')}`,
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
 * (client.group), or neither (the whole program's). The client is read in the whole tenant.
 */
export function governsClient(s: FieldExpressions<'spending_control'>, client: string, reader: EntityReader): string {
  const g = reader.fields('client', 'g');
  return `${s.value('is_active')} IS NOT FALSE AND (
    (${s.text('client_id')} IS NULL AND ${s.text('client_group')} IS NULL)
    OR ${s.text('client_id')} = ${client}
    OR ${s.text('client_group')} IN (SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(${g.json('group')}) = 'array' THEN ${g.json('group')} ELSE '[]'::jsonb END)
      FROM ${reader.store('client').table} g WHERE g.tenant_id = ${s.alias}.tenant_id AND g.id = CAST(NULLIF(${client}, '') AS uuid)))`;
}

/** The controls that govern a client's cards (see governsClient), oldest first. */
export async function controlsOfHolder(reader: EntityReader, clientId: string | null): Promise<SpendingControl[]> {
  const rows = await reader.rows('spending_control', {
    and: (f, p) => governsClient(f, p.add(clientId ?? ''), reader),
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  return rows.map((row) => controlOf(row.id, row.doc));
}

/** The portfolios of all the client's cards, whose spending the client's limits count. */
export async function holderPortfolios(reader: EntityReader, clientId: string): Promise<string[]> {
  const cards = await reader.rows<'card', { portfolio_id: string }>('card', {
    where: { client_id: clientId },
    columns: (f) => `${f.text('portfolio_id')} AS portfolio_id`,
  });
  return [...new Set(cards.map((c) => c.portfolio_id))];
}
