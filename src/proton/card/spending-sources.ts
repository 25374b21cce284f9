import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { Decimal } from '../money.ts';
import { centsOf, loadCardSpends, withinDays, type SpendFilter } from './card-spends.ts';

/**
 * Spending from the two places Nucleus keeps it: portfolio transactions (cards and other
 * internal accounts), whose transaction code says they are spending, and the debits of
 * aggregation accounts (held away), unless marked as transfers or excluded from analysis.
 */
export interface SpendRecord {
  day: string;
  /** Whole cents, in `currency` (or the reporting currency once converted). */
  cents: number;
  currency?: string;
  merchant?: string;
  merchantId?: string;
  categoryId?: string;
  category?: string;
  subcategory?: string;
  source: 'internal' | 'external';
  /** The portfolio or aggregation account it was recorded on. */
  owner: string;
}

export interface SourceFilter extends SpendFilter {
  categoryIds?: readonly string[] | null;
  merchantIds?: readonly string[] | null;
}

function narrowed(records: SpendRecord[], filter: SourceFilter): SpendRecord[] {
  const categories = filter.categoryIds ? new Set(filter.categoryIds.map((c) => c.toLowerCase())) : null;
  const merchants = filter.merchantIds ? new Set(filter.merchantIds.map((m) => m.toLowerCase())) : null;
  return records.filter(
    (r) => (!categories || (r.categoryId !== undefined && categories.has(r.categoryId.toLowerCase()))) && (!merchants || (r.merchantId !== undefined && merchants.has(r.merchantId.toLowerCase()))),
  );
}

export async function portfolioSpending(reader: EntityReader, portfolioIds: readonly string[], filter: SourceFilter): Promise<SpendRecord[]> {
  const spends = await loadCardSpends(reader, portfolioIds, filter);
  return narrowed(
    spends.map((s) => ({
      day: s.day,
      cents: s.cents,
      source: 'internal' as const,
      owner: s.portfolioId,
      ...(s.currency ? { currency: s.currency } : {}),
      ...(s.merchant ? { merchant: s.merchant } : {}),
      ...(s.merchantId ? { merchantId: s.merchantId } : {}),
      ...(s.categoryId ? { categoryId: s.categoryId } : {}),
      ...(s.category ? { category: s.category } : {}),
      ...(s.subcategory ? { subcategory: s.subcategory } : {}),
    })),
    filter,
  );
}

interface AggregationRow {
  account: string;
  date: string;
  amount: string | null;
  currency: string | null;
  merchant: string | null;
  merchant_id: string | null;
  category_id: string | null;
  category: string | null;
  subcategory: string | null;
}

/**
 * Debits of aggregation accounts. They carry no cleansing flag; with only_cleansed, the
 * categorised ones count as cleansed, as in the wellness and business families.
 */
export async function aggregationSpending(reader: EntityReader, accountIds: readonly string[], filter: SourceFilter): Promise<SpendRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.rows<'aggregation_account_transaction', AggregationRow>('aggregation_account_transaction', {
    where: {
      aggregation_account_id: { in: accountIds },
      is_transfer: { not: true },
      is_excluded_analysis: { not: true },
      transaction_date: withinDays(filter),
      status: filter.statuses ? { in: filter.statuses } : undefined,
    },
    and: (f) => {
      const debit = `lower(${f.text('bank_credit.transaction_type')}) = 'debit'`;
      return filter.onlyCleansed ? `${debit} AND ${f.text('bank_credit.category')} IS NOT NULL` : debit;
    },
    columns: (f) => `${f.text('aggregation_account_id')} AS account, ${f.text('transaction_date')} AS date, ${f.text('bank_credit.amount')} AS amount,
      ${f.text('currency_code')} AS currency, ${f.text('bank_credit.merchant')} AS merchant, ${f.text('bank_credit.merchant_id')} AS merchant_id,
      ${f.text('bank_credit.transaction_category_id')} AS category_id, ${f.text('bank_credit.category')} AS category,
      ${f.text('bank_credit.subcategory')} AS subcategory`,
    order: (f) => `${f.text('transaction_date')}, ${f.column('create_date')}`,
  });
  return narrowed(
    rows.map((row) => ({
      day: row.date.slice(0, 10),
      cents: centsOf(row.amount),
      source: 'external' as const,
      owner: row.account,
      ...(row.currency ? { currency: row.currency } : {}),
      ...(row.merchant ? { merchant: row.merchant } : {}),
      ...(row.merchant_id ? { merchantId: row.merchant_id } : {}),
      ...(row.category_id ? { categoryId: row.category_id } : {}),
      ...(row.category ? { category: row.category } : {}),
      ...(row.subcategory ? { subcategory: row.subcategory } : {}),
    })),
    filter,
  );
}

/**
 * Puts records in one currency: converted to `conversion` through the stored FX rates on each
 * record's day (to the cent), or, without a conversion, only those already in `currencyCode`.
 */
export async function inOneCurrency(reader: EntityReader, records: SpendRecord[], conversion: string | undefined, currencyCode: string | undefined, untilDay: string): Promise<SpendRecord[]> {
  if (!conversion) return currencyCode ? records.filter((r) => (r.currency ?? currencyCode) === currencyCode) : records;
  const converter = await converterFor(reader, conversion, records.map((r) => r.currency), untilDay);
  return records.map((r) => ({
    ...r,
    cents: converter.convert(new Decimal(r.cents), r.currency, r.day).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
    currency: conversion,
  }));
}

export const money = (cents: number): number => new Decimal(cents).div(100).toNumber();
