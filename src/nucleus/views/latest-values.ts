import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { loadDated } from '../../platform/read/dated-rows.ts';
import { decimalOf, ZERO, type Decimal } from '../../platform/money/money.ts';
import type { OwnedPortfolio } from './ownership.ts';
import { PORTFOLIO_ASSET_SIZES } from './sources.ts';

/** A portfolio's last recorded asset size. */
export interface LatestValue {
  day: string;
  /** The stored date-time of the record. */
  timestamp: string;
  value: Decimal;
  available?: Decimal;
  currency?: string;
}

/** Each portfolio's last asset size (portfolios with none are left out), counted at the portfolio's share. */
export async function latestValues(reader: EntityReader, portfolios: readonly OwnedPortfolio[]): Promise<Map<string, LatestValue>> {
  const rows = await loadDated(reader, PORTFOLIO_ASSET_SIZES, portfolios.map((p) => p.id), {}, { latestOnly: true });
  const byPortfolio = new Map(portfolios.map((p) => [p.id, p]));
  const latest = new Map<string, LatestValue & { at: string }>();
  for (const row of rows) {
    const known = latest.get(row.group);
    if (known && known.at > row.at) continue;
    const portfolio = byPortfolio.get(row.group)!;
    latest.set(row.group, {
      at: row.at,
      day: row.day,
      timestamp: new Date(String(row.date)).toISOString(),
      value: (decimalOf(row.value) ?? ZERO).times(portfolio.share),
      available: decimalOf(row.available)?.times(portfolio.share),
      currency: row.currency ?? portfolio.doc.currency_code,
    });
  }
  return new Map([...latest].map(([id, { at: _at, ...value }]) => [id, value]));
}

/** Values added up per currency (never across currencies), with the latest date that went in. */
export interface CurrencyTotal {
  currency?: string;
  day: string;
  value: Decimal;
}

export function totalsByCurrency(values: Iterable<LatestValue>): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const value of values) {
    const key = value.currency ?? '';
    const total = totals.get(key) ?? { currency: value.currency, day: value.day, value: ZERO };
    total.value = total.value.plus(value.value);
    if (value.day > total.day) total.day = value.day;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''));
}
