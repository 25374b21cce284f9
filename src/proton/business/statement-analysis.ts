import { cents, ratio, type Decimal } from '../money.ts';
import type { DaySpan } from '../calendar.ts';

/** A stat as one statement reports it, in the report currency. */
export interface StatPoint {
  date: string;
  value: Decimal;
}

/**
 * One line item across the statements: where it started and ended in the window and how it
 * moved. `points` are in statement order, oldest first.
 */
export function analyzeStat(name: string, points: StatPoint[], history: DaySpan[] | null) {
  const first = points[0];
  const last = points[points.length - 1];
  const change = first && last ? last.value.minus(first.value) : undefined;
  return {
    stat_name: name,
    statement_count: points.length,
    latest_value: last ? cents(last.value) : null,
    latest_date: last?.date ?? null,
    earliest_value: first ? cents(first.value) : null,
    earliest_date: first?.date ?? null,
    change: change ? cents(change) : null,
    growth: change && first.value.gt(0) ? ratio(change.div(first.value)) : null,
    history: history
      ? history.map((period) => {
          const inPeriod = points.filter((p) => p.date >= period.start && p.date <= period.end);
          const closing = inPeriod[inPeriod.length - 1];
          return { period_start: period.start, period_end: period.end, value: closing ? cents(closing.value) : null, statement_date: closing?.date ?? null };
        })
      : null,
  };
}
