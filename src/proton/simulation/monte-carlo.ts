import { CalculationError } from '../calculation-error.ts';
import { NormalSource } from './random.ts';
import { conform, logParams } from './returns.ts';
import { keptPaths, meanOf, percentiles } from './percentiles.ts';

/** Most paths a request may ask for. */
export const MAX_PATHS = 100_000;
/**
 * Most path-periods (paths × periods) one simulation may compute: 32 MB of balances, and a
 * bound on the time a single request can take.
 */
export const MAX_PATH_PERIODS = 4_000_000;

export interface MonteCarloInput {
  n: number;
  seed: number;
  initialBalance: number;
  /** [amount, periods]: the amount added at the end of each of that many periods, in order. */
  cashFlows: readonly (readonly number[])[];
  mu: readonly number[];
  sigma: readonly number[];
  retMod: readonly number[];
  minBal: readonly number[];
  maxBal: readonly number[] | null;
  minSample: readonly number[] | null;
  maxSample: readonly number[] | null;
}

/** The simulated balances: `balances[t][i]` is path i at the end of period t (t = 0 is today). */
export interface MonteCarloPaths {
  periods: number;
  balances: Float64Array[];
}

/** The cash flow of each period, from the [amount, periods] pairs. */
export function cashFlowSeries(cashFlows: readonly (readonly number[])[]): Float64Array {
  const counts = cashFlows.map(([, count], i) => {
    if (!Number.isInteger(count) || count < 0) throw new CalculationError(`cf[${i}][1]`, 'must be a whole number of periods, at least 0');
    return count;
  });
  const periods = counts.reduce((a, b) => a + b, 0);
  if (periods === 0) throw new CalculationError('cf', 'spans no period');
  if (periods > MAX_PATH_PERIODS) throw new CalculationError('cf', `spans ${periods} periods; at most ${MAX_PATH_PERIODS}`);
  const series = new Float64Array(periods);
  let t = 0;
  cashFlows.forEach(([amount], i) => series.fill(amount, t, (t += counts[i])));
  return series;
}

export function checkWork(n: number, periods: number): void {
  if (n > MAX_PATHS) throw new CalculationError('n', `at most ${MAX_PATHS} paths`);
  if (n * periods > MAX_PATH_PERIODS) throw new CalculationError('n', `${n} paths over ${periods} periods exceed ${MAX_PATH_PERIODS} path-periods; ask for fewer paths`);
}

function bounds(values: readonly number[] | null, periods: number, field: string, absent: number): Float64Array {
  return values === null ? new Float64Array(periods).fill(absent) : conform(values, periods, field);
}

/**
 * Each period, vectorised across paths: R = clamp(exp(m + s·Z) − 1, min_sample, max_sample) +
 * ret_mod, then balance = clamp(balance · (1 + R) + cash flow, min_bal, max_bal).
 */
export function simulateMonteCarlo(input: MonteCarloInput): MonteCarloPaths {
  const flows = cashFlowSeries(input.cashFlows);
  const periods = flows.length;
  checkWork(input.n, periods);
  const mu = conform(input.mu, periods, 'mu');
  const sigma = conform(input.sigma, periods, 'sigma');
  const retMod = conform(input.retMod, periods, 'ret_mod');
  const minBal = conform(input.minBal, periods, 'min_bal');
  const maxBal = bounds(input.maxBal, periods, 'max_bal', Number.POSITIVE_INFINITY);
  const minSample = bounds(input.minSample, periods, 'min_sample', Number.NEGATIVE_INFINITY);
  const maxSample = bounds(input.maxSample, periods, 'max_sample', Number.POSITIVE_INFINITY);
  for (let t = 0; t < periods; t++) {
    if (minBal[t] > maxBal[t]) throw new CalculationError('max_bal', `is below min_bal in period ${t + 1}`);
    if (minSample[t] > maxSample[t]) throw new CalculationError('max_sample', `is below min_sample in period ${t + 1}`);
  }
  const n = input.n;
  const source = new NormalSource(input.seed);
  const shocks = new Float64Array(n);
  const balances = [new Float64Array(n).fill(input.initialBalance)];
  for (let t = 0; t < periods; t++) {
    const { m, s, growth } = logParams(mu[t], sigma[t]);
    const prev = balances[t];
    const next = new Float64Array(n);
    const lo = minSample[t];
    const hi = maxSample[t];
    const mod = retMod[t];
    const flow = flows[t];
    const floor = minBal[t];
    const cap = maxBal[t];
    if (s > 0) source.fillNormals(shocks);
    for (let i = 0; i < n; i++) {
      let r = (s > 0 ? Math.exp(m + s * shocks[i]) : growth) - 1;
      if (r < lo) r = lo;
      if (r > hi) r = hi;
      let b = prev[i] * (1 + r + mod) + flow;
      if (b < floor) b = floor;
      if (b > cap) b = cap;
      next[i] = b;
    }
    balances.push(next);
  }
  return { periods, balances };
}

export type MonteCarloResultType = 'raw' | 'custom' | 'median' | 'mean' | 'tens';

export const TENS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

export interface MonteCarloSummary {
  /** One series per row, each with a balance for period 0 to the last. */
  series: number[][];
  /** The percentile each row is, or null for raw paths and the mean. */
  percentiles: number[] | null;
  kept: number;
}

/** The rows the result type asks for, over the paths kept after outlier removal. */
export function summarise(paths: MonteCarloPaths, resultType: MonteCarloResultType, p: readonly number[], removeOutliers: boolean): MonteCarloSummary {
  const kept = removeOutliers ? keptPaths(paths.balances[paths.periods]) : null;
  const keptCount = kept ? kept.length : paths.balances[0].length;
  if (resultType === 'raw') {
    const indices = kept ?? Uint32Array.from({ length: keptCount }, (_, i) => i);
    return { series: Array.from(indices, (i) => paths.balances.map((period) => period[i])), percentiles: null, kept: keptCount };
  }
  if (resultType === 'mean') return { series: [paths.balances.map((period) => meanOf(period, kept))], percentiles: null, kept: keptCount };
  const ps = resultType === 'median' ? [50] : resultType === 'tens' ? TENS : [...p];
  const byPeriod = paths.balances.map((period) => percentiles(period, kept, ps));
  return { series: ps.map((_, row) => byPeriod.map((values) => values[row])), percentiles: ps, kept: keptCount };
}
