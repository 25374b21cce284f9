import { inRange, type DayRange } from '../../platform/calendar/days.ts';
import { NO_CONVERSION, type Converter } from '../../platform/money/fx.ts';
import { ONE, ZERO, type Decimal } from '../../platform/money/money.ts';
import { lastPerPeriod, type SortType } from '../../platform/calendar/periods.ts';

/** One stored asset size of one source (a portfolio, or a model for an allocation). */
export interface AssetSizeRecord {
  source: string;
  day: string;
  /** Orders records of the same source and day; the last one holds the day's value. */
  at: string;
  value: Decimal;
  cashFlow: Decimal;
  available?: Decimal;
  pending?: Decimal;
  currency?: string;
}

export interface SeriesOptions {
  range?: DayRange;
  sortType?: SortType;
  latestOnly?: boolean;
  /** Part of each source that counts, 1 when absent (a goal's weight, a model's weight). */
  shares?: ReadonlyMap<string, Decimal>;
  converter?: Converter;
}

export interface SeriesPoint {
  date: string;
  value: Decimal;
  /** Net cash flow on the day, or over the period when bucketed. */
  cashFlow: Decimal;
  /** Net cash flow from the first day of the series up to this point. */
  additions: Decimal;
  available?: Decimal;
  pending?: Decimal;
}

interface DayState {
  value: Decimal;
  available?: Decimal;
  pending?: Decimal;
  currency?: string;
}

function add(total: Decimal | undefined, amount: Decimal | undefined): Decimal | undefined {
  if (amount === undefined) return total;
  return (total ?? ZERO).plus(amount);
}

/**
 * The value over time of a set of sources, summed per day. A source with no record on a day
 * still counts with its last known value (carried forward, including from before the range),
 * while cash flows count only on the day they happened. Values are converted at the rate of
 * the day they are reported for. With a sort type, the last value of each period is kept and
 * the period's cash flows are added up.
 */
export function assetSizeSeries(records: readonly AssetSizeRecord[], options: SeriesOptions = {}): SeriesPoint[] {
  const range = options.range ?? {};
  const converter = options.converter ?? NO_CONVERSION;
  const shareOf = (source: string): Decimal => options.shares?.get(source) ?? ONE;
  const sorted = [...records].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const current = new Map<string, DayState>();
  const points: SeriesPoint[] = [];
  let additions = ZERO;
  let index = 0;
  while (index < sorted.length) {
    const day = sorted[index].day;
    if (range.end !== undefined && day > range.end) break;
    const ofDay: AssetSizeRecord[] = [];
    for (; index < sorted.length && sorted[index].day === day; index++) {
      const record = sorted[index];
      const share = shareOf(record.source);
      current.set(record.source, {
        value: record.value.times(share),
        available: record.available?.times(share),
        pending: record.pending?.times(share),
        currency: record.currency,
      });
      ofDay.push(record);
    }
    // Days before the range only establish the values carried into it.
    if (!inRange(day, range)) continue;
    let flow = ZERO;
    for (const record of ofDay) flow = flow.plus(converter.convert(record.cashFlow.times(shareOf(record.source)), record.currency, day));
    let value = ZERO;
    let available: Decimal | undefined;
    let pending: Decimal | undefined;
    for (const state of current.values()) {
      value = value.plus(converter.convert(state.value, state.currency, day));
      if (state.available) available = add(available, converter.convert(state.available, state.currency, day));
      if (state.pending) pending = add(pending, converter.convert(state.pending, state.currency, day));
    }
    additions = additions.plus(flow);
    points.push({ date: day, value, cashFlow: flow, additions, available, pending });
  }

  const bucketed = lastPerPeriod(points, options.sortType, (last, period) => ({
    ...last,
    cashFlow: period.reduce((total, p) => total.plus(p.cashFlow), ZERO),
  }));
  return options.latestOnly ? bucketed.slice(-1) : bucketed;
}
