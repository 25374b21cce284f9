import { CalculationError } from '../calculation-error.ts';

/** A value over time with the net cash flow of each point (added on that day, included in its value). */
export interface ValuePoint {
  date: string;
  value: number;
  cashFlow: number;
}

export interface PeriodReturns {
  /** The day each return ends on. */
  dates: string[];
  returns: number[];
}

/**
 * Time-weighted returns between consecutive points: rₜ = (Vₜ − CFₜ) / Vₜ₋₁ − 1, so money
 * paid in or taken out is not counted as performance. Points before the first positive
 * value are skipped (nothing was invested yet).
 */
export function timeWeightedReturns(points: readonly ValuePoint[], field: string): PeriodReturns {
  const first = points.findIndex((p) => p.value > 0);
  if (first < 0 || points.length - first < 2) throw new CalculationError(field, 'has fewer than two values in the window to compute a return from');
  const dates: string[] = [];
  const returns: number[] = [];
  for (let t = first + 1; t < points.length; t++) {
    const previous = points[t - 1].value;
    if (!(previous > 0)) throw new CalculationError(field, `has no positive value on ${points[t - 1].date} to compute the next return from`);
    dates.push(points[t].date);
    returns.push((points[t].value - points[t].cashFlow) / previous - 1);
  }
  return { dates, returns };
}

/** Value of 1 invested at the start and compounded by the returns: W₀ = 1, Wₜ = Wₜ₋₁(1 + rₜ). */
export function wealthIndex(returns: readonly number[]): number[] {
  const wealth = [1];
  for (const r of returns) wealth.push(wealth[wealth.length - 1] * (1 + r));
  return wealth;
}

/** A value series from returns alone (prices of a security, a model rebalanced to its weights). */
export function pointsFromReturns(startDate: string, returns: PeriodReturns): ValuePoint[] {
  const wealth = wealthIndex(returns.returns);
  return [startDate, ...returns.dates].map((date, t) => ({ date, value: wealth[t], cashFlow: 0 }));
}

/** Returns of two series over the dates both have, each between consecutive common dates. */
export function commonReturns(a: readonly ValuePoint[], b: readonly ValuePoint[], field: string): { dates: string[]; a: number[]; b: number[] } {
  const byDate = new Map(b.map((p) => [p.date, p]));
  const both = a.filter((p) => byDate.has(p.date));
  if (both.length < 3) throw new CalculationError(field, 'shares fewer than three dates with the analysed series');
  const dates: string[] = [];
  const ra: number[] = [];
  const rb: number[] = [];
  for (let t = 1; t < both.length; t++) {
    const [pa, qa] = [both[t - 1], both[t]];
    const [pb, qb] = [byDate.get(pa.date)!, byDate.get(qa.date)!];
    if (!(pa.value > 0) || !(pb.value > 0)) continue;
    dates.push(qa.date);
    ra.push((qa.value - qa.cashFlow) / pa.value - 1);
    rb.push((qb.value - qb.cashFlow) / pb.value - 1);
  }
  return { dates, a: ra, b: rb };
}
