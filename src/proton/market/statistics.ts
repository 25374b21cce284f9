import type { AssetReturns, MarketFrequency } from './market-data.ts';

/** Periods in a year of market data; a year of daily prices has about 252 trading days. */
export const MARKET_PERIODS_PER_YEAR: Record<MarketFrequency, number> = { day: 252, week: 52, month: 12, quarter: 4, year: 1 };

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? 0 : sum / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function standardDeviation(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

/**
 * Mean return of each asset and the sample covariance matrix of the returns (n − 1 in the
 * denominator). Deviations are taken once so the matrix costs one pass per pair.
 */
export function meanAndCovariance(returns: AssetReturns): { mean: Float64Array; covariance: Float64Array[] } {
  const assets = returns.returns.length;
  const periods = returns.dates.length;
  const means = new Float64Array(assets);
  const deviations = returns.returns.map((series, a) => {
    means[a] = mean(series);
    const d = new Float64Array(periods);
    for (let t = 0; t < periods; t++) d[t] = series[t] - means[a];
    return d;
  });
  const covariance = Array.from({ length: assets }, () => new Float64Array(assets));
  const denominator = Math.max(periods - 1, 1);
  for (let i = 0; i < assets; i++) {
    const di = deviations[i];
    for (let j = i; j < assets; j++) {
      const dj = deviations[j];
      let sum = 0;
      for (let t = 0; t < periods; t++) sum += di[t] * dj[t];
      covariance[i][j] = covariance[j][i] = sum / denominator;
    }
  }
  return { mean: means, covariance };
}

/** wᵀμ */
export function weightedMean(weights: ArrayLike<number>, means: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] * means[i];
  return sum;
}

/** √(wᵀΣw) */
export function weightedRisk(weights: ArrayLike<number>, covariance: readonly ArrayLike<number>[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    let row = 0;
    for (let j = 0; j < weights.length; j++) row += covariance[i][j] * weights[j];
    sum += weights[i] * row;
  }
  return Math.sqrt(Math.max(sum, 0));
}

/** The weighted portfolio's return in each period, rebalanced to the weights every period. */
export function portfolioReturnSeries(returns: AssetReturns, weights: readonly number[]): Float64Array {
  const out = new Float64Array(returns.dates.length);
  returns.returns.forEach((series, a) => {
    for (let t = 0; t < out.length; t++) out[t] += weights[a] * series[t];
  });
  return out;
}

/** Per-period mean and standard deviation, annualised as mean × P and deviation × √P. */
export function annualise(periodMean: number, periodRisk: number, periodsPerYear: number): { annualMean: number; annualRisk: number } {
  return { annualMean: periodMean * periodsPerYear, annualRisk: periodRisk * Math.sqrt(periodsPerYear) };
}
