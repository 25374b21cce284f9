import { Decimal } from '../money.ts';
import type { DayWindow } from './calendar-window.ts';
import { addDays } from '../calendar.ts';
import { money, type SpendRecord } from './spending-sources.ts';

/** Sums of spending, in whole cents, by period and by any key of a record. */

export interface PeriodRow {
  period_start: string;
  period_end: string;
  spending: number;
  transactions: number;
}

export function totalCents(records: readonly SpendRecord[]): number {
  return records.reduce((sum, r) => sum + r.cents, 0);
}

export function byPeriod(records: readonly SpendRecord[], periods: readonly DayWindow[]): PeriodRow[] {
  return periods.map((period) => {
    const inside = records.filter((r) => r.day >= period.start && r.day < period.end);
    return { period_start: period.start, period_end: addDays(period.end, -1), spending: money(totalCents(inside)), transactions: inside.length };
  });
}

export interface Group<K> {
  key: K;
  cents: number;
  transactions: number;
}

/** Records grouped by a key, largest spending first (ties by first appearance). */
export function groupBy<K>(records: readonly SpendRecord[], keyOf: (r: SpendRecord) => string, key: (r: SpendRecord) => K): Group<K>[] {
  const groups = new Map<string, Group<K>>();
  for (const record of records) {
    const id = keyOf(record);
    const group = groups.get(id);
    if (group) {
      group.cents += record.cents;
      group.transactions += 1;
    } else groups.set(id, { key: key(record), cents: record.cents, transactions: 1 });
  }
  return [...groups.values()].sort((a, b) => b.cents - a.cents);
}

/** A part of a total as a fraction; 0 of nothing. */
export function share(part: number, total: number): number {
  return total === 0 ? 0 : new Decimal(part).div(total).toNumber();
}

export function byMerchant(records: readonly SpendRecord[]) {
  const total = totalCents(records);
  return groupBy(
    records,
    (r) => (r.merchantId ? `id:${r.merchantId.toLowerCase()}` : `name:${(r.merchant ?? '').toLowerCase()}`),
    (r) => ({ merchant_id: r.merchantId ?? null, merchant: r.merchant ?? null }),
  ).map((g) => ({ ...g.key, spending: money(g.cents), transactions: g.transactions, share: share(g.cents, total) }));
}

export function byCategory(records: readonly SpendRecord[]) {
  const total = totalCents(records);
  return groupBy(
    records,
    (r) => (r.categoryId ? `id:${r.categoryId.toLowerCase()}` : `name:${(r.category ?? '').toLowerCase()}`),
    (r) => ({ transaction_category_id: r.categoryId ?? null, category: r.category ?? null }),
  ).map((g) => ({ ...g.key, spending: money(g.cents), transactions: g.transactions, share: share(g.cents, total) }));
}
