import { mean, standardDeviation } from '../market/statistics.ts';
import { wealthIndex, type ValuePoint } from './value-series.ts';

/** Periods a year for each period_type code; a year of daily prices has about 252 trading days. */
export const PERIODS_PER_YEAR_BY_CODE = { D: 252, M: 12, Q: 4, Y: 1 } as const;
export type PeriodCode = keyof typeof PERIODS_PER_YEAR_BY_CODE;

/** Π(1 + rₜ) − 1 */
export function cumulativeReturn(returns: readonly number[]): number {
  return returns.reduce((wealth, r) => wealth * (1 + r), 1) - 1;
}

/** (1 + cumulative)^(P / n) − 1: the constant return per year that compounds to the same. */
export function annualisedReturn(returns: readonly number[], periodsPerYear: number): number {
  return (1 + cumulativeReturn(returns)) ** (periodsPerYear / returns.length) - 1;
}

export function annualisedVolatility(returns: readonly number[], periodsPerYear: number): number {
  return standardDeviation(returns) * Math.sqrt(periodsPerYear);
}

/** √(Σ min(0, rₜ − m)² / n) × √P, with m the annual minimum acceptable return spread evenly over the periods. */
export function downsideDeviation(returns: readonly number[], annualMinimum: number, periodsPerYear: number): number {
  const m = annualMinimum / periodsPerYear;
  const shortfalls = returns.reduce((sum, r) => sum + Math.min(0, r - m) ** 2, 0);
  return Math.sqrt(shortfalls / returns.length) * Math.sqrt(periodsPerYear);
}

/** (mean × P − risk-free) / annual volatility */
export function sharpeRatio(returns: readonly number[], riskFree: number, periodsPerYear: number): number | null {
  const vol = annualisedVolatility(returns, periodsPerYear);
  return vol > 0 ? (mean(returns) * periodsPerYear - riskFree) / vol : null;
}

/** (mean × P − risk-free) / downside deviation below the risk-free rate */
export function sortinoRatio(returns: readonly number[], riskFree: number, periodsPerYear: number): number | null {
  const downside = downsideDeviation(returns, riskFree, periodsPerYear);
  return downside > 0 ? (mean(returns) * periodsPerYear - riskFree) / downside : null;
}

/** The deepest fall of the wealth index below its running peak, as a fraction ≤ 0. */
export function maxDrawdown(returns: readonly number[]): number {
  let peak = 1;
  let deepest = 0;
  for (const w of wealthIndex(returns)) {
    peak = Math.max(peak, w);
    deepest = Math.min(deepest, w / peak - 1);
  }
  return deepest;
}

export function covariance(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] - ma) * (b[t] - mb);
  return a.length > 1 ? sum / (a.length - 1) : 0;
}

/** cov(r, b) / var(b) */
export function beta(returns: readonly number[], benchmark: readonly number[]): number | null {
  const v = covariance(benchmark, benchmark);
  return v > 0 ? covariance(returns, benchmark) / v : null;
}

/** Jensen's alpha, annual: (mean(r) − f − β (mean(b) − f)) × P with f the risk-free rate per period. */
export function jensenAlpha(returns: readonly number[], benchmark: readonly number[], riskFree: number, periodsPerYear: number): number | null {
  const b = beta(returns, benchmark);
  if (b === null) return null;
  const f = riskFree / periodsPerYear;
  return (mean(returns) - f - b * (mean(benchmark) - f)) * periodsPerYear;
}

/** Annual excess return per unit of beta: (mean × P − risk-free) / β */
export function treynorRatio(returns: readonly number[], benchmark: readonly number[], riskFree: number, periodsPerYear: number): number | null {
  const b = beta(returns, benchmark);
  return b ? (mean(returns) * periodsPerYear - riskFree) / b : null;
}

export function correlation(a: readonly number[], b: readonly number[]): number | null {
  const d = standardDeviation(a) * standardDeviation(b);
  return d > 0 ? covariance(a, b) / d : null;
}

/** Annual standard deviation of the active returns rₜ − bₜ */
export function trackingError(returns: readonly number[], benchmark: readonly number[], periodsPerYear: number): number {
  return annualisedVolatility(returns.map((r, t) => r - benchmark[t]), periodsPerYear);
}

/** Annual mean active return per unit of tracking error */
export function informationRatio(returns: readonly number[], benchmark: readonly number[], periodsPerYear: number): number | null {
  const te = trackingError(returns, benchmark, periodsPerYear);
  return te > 0 ? (mean(returns.map((r, t) => r - benchmark[t])) * periodsPerYear) / te : null;
}

/**
 * Historical value at risk: the return of one period that the worst (100 − c)% of the
 * observed returns fall at or below, read from the sorted returns by linear interpolation.
 */
export function historicalValueAtRisk(returns: readonly number[], confidencePercent: number): number {
  const sorted = [...returns].sort((a, b) => a - b);
  const position = ((100 - confidencePercent) / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Money-weighted return, annual: the rate i at which the start value and the cash flows,
 * grown to the end at (1 + i)^(days / 365), equal the end value. Found by bisection, as
 * the growth of the flows is monotone in i.
 */
export function moneyWeightedReturn(points: readonly ValuePoint[]): number | null {
  const start = points[0];
  const end = points[points.length - 1];
  const days = (date: string) => (Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
  const flows = [{ amount: start.value, years: days(start.date) / 365 }, ...points.slice(1).map((p) => ({ amount: p.cashFlow, years: days(p.date) / 365 }))];
  const surplus = (i: number) => flows.reduce((sum, f) => sum + f.amount * (1 + i) ** f.years, 0) - end.value;
  if (!(flows[0].years > 0)) return null;
  let lo = -0.999999;
  let hi = 1;
  while (surplus(hi) < 0 && hi < 1e6) hi *= 2;
  if (surplus(lo) > 0 || surplus(hi) < 0) return null;
  for (let step = 0; step < 200 && hi - lo > 1e-14; step++) {
    const middle = (lo + hi) / 2;
    if (surplus(middle) < 0) lo = middle;
    else hi = middle;
  }
  return (lo + hi) / 2;
}

/** For each point from the n-th on, a statistic of the n returns ending there. */
export function rolling(dates: readonly string[], returns: readonly number[], n: number, statistic: (window: number[]) => number): { date: string; value: number }[] {
  const out: { date: string; value: number }[] = [];
  for (let t = n - 1; t < returns.length; t++) out.push({ date: dates[t], value: statistic(returns.slice(t - n + 1, t + 1)) });
  return out;
}
