import { periodKey } from '../market/market-data.ts';

/** settings.rebalance_period: how often a period rebalance falls due. */
export const REBALANCE_PERIODS = ['year', 'half_year', 'quarter', 'month', 'week'] as const;
export type RebalancePeriod = (typeof REBALANCE_PERIODS)[number];

/** The period a day falls in, as a key that changes exactly when a new period starts. */
export function rebalancePeriodKey(day: string, period: RebalancePeriod): string {
  if (period === 'half_year') return `${day.slice(0, 4)}-H${Number(day.slice(5, 7)) <= 6 ? 1 : 2}`;
  return periodKey(day, period);
}

export interface SignalInput {
  /** Day t's simple return of each asset, returns[asset][t], ending on dates[t]. */
  returns: readonly ArrayLike<number>[];
  dates: readonly string[];
  initial: readonly number[];
  targets: readonly number[];
  /** Relative band of each asset: a weight w is off when |w − target| > band × target. */
  bands: readonly number[];
  driftRebalance: boolean;
  /** Null when no period rebalance is wanted. */
  period: RebalancePeriod | null;
}

export interface Signal {
  date: string;
  trigger: 'period' | 'drift';
  before: number[];
  /** The assets whose drift was beyond their band that day. */
  drifted: number[];
}

// Rescaling leaves weights that have not moved a rounding error off target; a band of 0 must
// not read that as drift.
const ROUNDING = 1e-12;

/**
 * Lets the weights drift with the returns (a weight grows with its asset's return, then all
 * are scaled to sum to 1) and rebalances them to the targets on the first day of each new
 * period, and on any day an asset's weight has left its band. A day that is both is a
 * period rebalance.
 */
export function rebalancingSignals(input: SignalInput): { signals: Signal[]; ending: number[] } {
  const { returns, dates, targets, bands } = input;
  let weights = [...input.initial];
  const signals: Signal[] = [];
  for (let t = 0; t < dates.length; t++) {
    const grown = weights.map((w, a) => w * (1 + returns[a][t]));
    const total = grown.reduce((sum, w) => sum + w, 0);
    weights = total > 0 ? grown.map((w) => w / total) : grown;
    const drifted = input.driftRebalance ? weights.flatMap((w, a) => (Math.abs(w - targets[a]) > bands[a] * targets[a] + ROUNDING ? [a] : [])) : [];
    const newPeriod = input.period !== null && t > 0 && rebalancePeriodKey(dates[t], input.period) !== rebalancePeriodKey(dates[t - 1], input.period);
    if (!newPeriod && drifted.length === 0) continue;
    signals.push({ date: dates[t], trigger: newPeriod ? 'period' : 'drift', before: weights, drifted });
    weights = [...targets];
  }
  return { signals, ending: weights };
}
