import { inRange, type DayRange } from '../../platform/calendar/days.ts';
import { HUNDRED, ZERO, type Decimal } from '../../platform/money/money.ts';
import { lastPerPeriod, type SortType } from '../../platform/calendar/periods.ts';

export interface BenchmarkComponent {
  securityId: string;
  weight: Decimal;
}

export interface PriceRecord {
  securityId: string;
  day: string;
  /** Orders prices of the same security and day; the last one is the day's price. */
  at: string;
  price: Decimal;
}

export interface BenchmarkPoint {
  date: string;
  value: Decimal;
}

/**
 * The value of 100 put into the benchmark on the first day of the range on which every
 * component has a price, split by the composition's weights and then held (no
 * rebalancing). A component without a price on a day counts at its last known price,
 * including one from before the range. With a sort type, the last value of each period.
 */
export function benchmarkSeries(
  composition: readonly BenchmarkComponent[],
  prices: readonly PriceRecord[],
  options: { range?: DayRange; sortType?: SortType } = {},
): BenchmarkPoint[] {
  const range = options.range ?? {};
  const components = composition.filter((c) => !c.weight.isZero());
  const totalWeight = components.reduce((total, c) => total.plus(c.weight), ZERO);
  if (components.length === 0 || totalWeight.isZero()) return [];
  const wanted = new Set(components.map((c) => c.securityId));
  const sorted = prices
    .filter((p) => wanted.has(p.securityId))
    .sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const lastPrice = new Map<string, Decimal>();
  let units: Map<string, Decimal> | undefined;
  const points: BenchmarkPoint[] = [];
  let index = 0;
  while (index < sorted.length) {
    const day = sorted[index].day;
    if (range.end !== undefined && day > range.end) break;
    for (; index < sorted.length && sorted[index].day === day; index++) lastPrice.set(sorted[index].securityId, sorted[index].price);
    if (!inRange(day, range)) continue;
    if (!units) {
      if (components.some((c) => !lastPrice.get(c.securityId) || lastPrice.get(c.securityId)!.isZero())) continue;
      units = new Map(components.map((c) => [c.securityId, c.weight.div(totalWeight).times(HUNDRED).div(lastPrice.get(c.securityId)!)]));
    }
    let value = ZERO;
    for (const [securityId, held] of units) value = value.plus(held.times(lastPrice.get(securityId)!));
    points.push({ date: day, value });
  }
  return lastPerPeriod(points, options.sortType);
}
