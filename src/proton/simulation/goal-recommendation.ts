import type { GoalChange, GoalProblem } from './goal-problem.ts';
import { evaluate } from './goal-status.ts';

export type RecommendType = 'recurring' | 'one-time' | 'combo' | 'horizon';

export interface RecommendationBounds {
  depositMin: number;
  depositMax: number | null;
  investmentMin: number;
  investmentMax: number | null;
  horizonMin: number;
  horizonMax: number;
  /** Yearly growth of a recommended recurring deposit. */
  inflation: number;
}

export interface Recommendation {
  type: RecommendType;
  /** Whether the change found reaches the confidence target; if not, it is the largest change the bounds allow. */
  reached: boolean;
  change: GoalChange;
}

/** Searches stop doubling an unbounded amount here (ten billion), and report the goal out of reach. */
const CENTS_LIMIT = 1e12;

/**
 * The smallest whole number in [low, high] that meets the test, by bisection: the test must be
 * monotone (false, then true), which common random numbers make it for money added.
 */
function smallest(meets: (x: number) => boolean, low: number, high: number | null, limit: number): { value: number; reached: boolean } {
  if (meets(low)) return { value: low, reached: true };
  let failing = low;
  let top: number;
  if (high !== null) {
    if (!meets(high)) return { value: high, reached: false };
    top = high;
  } else {
    top = Math.max(2 * low, 10_000);
    while (!meets(top)) {
      if (top >= limit) return { value: top, reached: false };
      failing = top;
      top = Math.min(top * 2, limit);
    }
  }
  while (top - failing > 1) {
    const middle = Math.floor((failing + top) / 2);
    if (meets(middle)) top = middle;
    else failing = middle;
  }
  return { value: top, reached: true };
}

const toCents = (amount: number) => Math.round(amount * 100);

/**
 * The smallest change of the requested kind that lifts the goal probability to the confidence
 * target, each candidate simulated with the same shocks:
 * - recurring: a deposit at the end of every horizon period of accumulation, in [dep_min, dep_max];
 * - one-time: an amount invested today, in [inv_min, inv_max];
 * - combo: both, the one-time amount being the recurring one times the accumulation periods
 *   (half the money now, half over time), each kept within its own bounds;
 * - horizon: the accumulation horizon in [horizon_min, horizon_max], assuming a longer one never hurts.
 */
export function recommend(problem: GoalProblem, type: RecommendType, bounds: RecommendationBounds): Recommendation {
  const base: GoalChange = { oneTime: 0, recurring: 0, recurringInflation: bounds.inflation, accumulation: problem.accumulation };
  const meets = (change: GoalChange) => evaluate(problem, change).probability >= problem.confidenceTarget;
  if (type === 'horizon') {
    const at = (accumulation: number): GoalChange => ({ ...base, accumulation });
    const low = Math.min(bounds.horizonMin, bounds.horizonMax);
    const found = smallest((h) => meets(at(h)), low, bounds.horizonMax, bounds.horizonMax);
    return { type, reached: found.reached, change: at(found.value) };
  }
  const depositMax = bounds.depositMax === null ? null : toCents(bounds.depositMax);
  const investmentMax = bounds.investmentMax === null ? null : toCents(bounds.investmentMax);
  const clamp = (cents: number, min: number, max: number | null) => Math.max(toCents(min), max === null ? cents : Math.min(cents, max)) / 100;
  let change: (cents: number) => GoalChange;
  let low: number;
  let high: number | null;
  if (type === 'recurring') {
    change = (cents) => ({ ...base, recurring: cents / 100 });
    low = toCents(bounds.depositMin);
    high = depositMax;
  } else if (type === 'one-time') {
    change = (cents) => ({ ...base, oneTime: cents / 100 });
    low = toCents(bounds.investmentMin);
    high = investmentMax;
  } else {
    const count = Math.max(problem.accumulation, 1);
    change = (cents) => ({ ...base, recurring: clamp(cents, bounds.depositMin, depositMax), oneTime: clamp(cents * count, bounds.investmentMin, investmentMax) });
    low = 0;
    high = depositMax !== null && investmentMax !== null ? Math.max(depositMax, Math.ceil(investmentMax / count)) : null;
  }
  const found = smallest((cents) => meets(change(cents)), low, high !== null ? Math.max(high, low) : null, CENTS_LIMIT);
  return { type, reached: found.reached, change: change(found.value) };
}
