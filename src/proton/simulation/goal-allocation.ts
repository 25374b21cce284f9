import { percentileOfSorted } from './percentiles.ts';
import type { GoalProblem } from './goal-problem.ts';
import { evaluate } from './goal-status.ts';
import { noChange } from './goal-problem.ts';

export interface AllocationChoice {
  /** The Nucleus allocation, or null for one built from opt_config. */
  id: string | null;
  /** Annual expected return and standard deviation, as fractions. */
  performance: number;
  volatility: number;
}

export type Scored<T extends AllocationChoice> = T & { probability: number };

/** Volatilities this close count as equal when a choice compares them. */
const SAME = 1e-12;

/**
 * Scores every allocation on the goal with the same shocks, then picks one:
 * - priority goal: the least volatile allocation that reaches the confidence target, or the
 *   most likely one when none does (the goal first, then as little risk as it needs);
 * - priority risk: among allocations no more volatile than the one at the risk_score
 *   percentile of the volatilities, the one most likely to reach the goal (risk first).
 * Ties go to the lower volatility, then to the order given.
 */
export function chooseAllocation<T extends AllocationChoice>(problem: GoalProblem, allocations: T[], priority: 'goal' | 'risk', riskScore: number): { chosen: Scored<T>; scored: Scored<T>[] } {
  const scored = allocations.map((a) => {
    const withReturns = { ...problem, annualReturns: [a.performance], annualRisks: [a.volatility] };
    return { ...a, probability: evaluate(withReturns, noChange(withReturns)).probability } as Scored<T>;
  });
  const likeliest = (pool: Scored<T>[]) =>
    pool.reduce((best, a) => (a.probability > best.probability || (a.probability === best.probability && a.volatility < best.volatility - SAME) ? a : best));
  if (priority === 'goal') {
    const reaching = scored.filter((a) => a.probability >= problem.confidenceTarget);
    if (reaching.length === 0) return { chosen: likeliest(scored), scored };
    return { chosen: reaching.reduce((best, a) => (a.volatility < best.volatility - SAME ? a : best)), scored };
  }
  const cap = percentileOfSorted(Float64Array.from(scored, (a) => a.volatility).sort(), riskScore);
  return { chosen: likeliest(scored.filter((a) => a.volatility <= cap + SAME)), scored };
}
