import { inRange, type DayRange } from '../../platform/calendar/days.ts';
import { Decimal, ZERO } from '../money.ts';
import type { Flow, MoneyTransaction } from './aggregation-data.ts';
import { addDays, addMonths, monthEnd, monthStart } from '../calendar.ts';

/** A figure of the analysis window next to the same figure of the benchmark window. */
export interface Compared {
  total: Decimal;
  benchmark: Decimal;
  count: number;
  benchmarkCount: number;
}

export function compare(current: readonly MoneyTransaction[], benchmark: readonly MoneyTransaction[]): Compared {
  return {
    total: current.reduce((s, t) => s.plus(t.amount), ZERO),
    benchmark: benchmark.reduce((s, t) => s.plus(t.amount), ZERO),
    count: current.length,
    benchmarkCount: benchmark.length,
  };
}

/** Change from the benchmark, in money and as a fraction of it (null when the benchmark is zero). */
export function change(total: Decimal, benchmark: Decimal): { change: Decimal; changePercent: Decimal | null } {
  const difference = total.minus(benchmark);
  return { change: difference, changePercent: benchmark.isZero() ? null : difference.div(benchmark.abs()) };
}

/** Income and spending are money in and out, leaving out trades and transfers between one's own accounts. */
export function isCashFlow(t: MoneyTransaction): boolean {
  return !t.isTrade && !t.isTransfer;
}

export function ofFlow(transactions: readonly MoneyTransaction[], flow: Flow, range: DayRange): MoneyTransaction[] {
  return transactions.filter((t) => t.flow === flow && inRange(t.day, range));
}

/** Groups by a key (null for transactions without one), keeping first-seen order. */
export function groupBy(transactions: readonly MoneyTransaction[], key: (t: MoneyTransaction) => string | undefined): Map<string | null, MoneyTransaction[]> {
  const groups = new Map<string | null, MoneyTransaction[]>();
  for (const t of transactions) {
    const k = key(t) ?? null;
    const group = groups.get(k);
    if (group) group.push(t);
    else groups.set(k, [t]);
  }
  return groups;
}

/**
 * The benchmark window: the one asked for, or else the window of as many days ending the day
 * before the analysis starts.
 */
export function benchmarkWindow(analysis: { start: string; end: string }, days: number): { start: string; end: string } {
  const end = addDays(analysis.start, -1);
  return { start: addDays(end, -(days - 1)), end };
}

/** The calendar months overlapping a window, each cut to the window. */
export function monthsOf(window: { start: string; end: string }): { start: string; end: string }[] {
  const months = [];
  for (let first = monthStart(window.start); first <= window.end; first = addMonths(first, 1)) {
    months.push({ start: first < window.start ? window.start : first, end: monthEnd(first) > window.end ? window.end : monthEnd(first) });
  }
  return months;
}
