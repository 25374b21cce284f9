import { MeanVarianceOptimizer, optimalFor, withMinimumAssets, type Allocation, type MeanVarianceProblem } from '../market/mean-variance.ts';
import { weightedMean, weightedRisk } from '../market/statistics.ts';

export type TargetType = 'risk' | 'return';

export interface OptimizationScore {
  score: number;
  current: Allocation;
  optimal: Allocation;
  /** The least-variance portfolio within the limits. */
  leastRisk: Allocation;
}

// Bisection and solver round-off leave the frontier a hair away from a portfolio on it.
const TOLERANCE = 1e-9;

const clamp = (x: number) => Math.min(100, Math.max(0, x));

/**
 * How close a portfolio comes to the efficient frontier of its universe under the weight
 * limits.
 *
 * tgt_type return: the frontier portfolio of least risk σ* returning at least the portfolio's
 * return; score = 100 × σ* / σₚ, the share of the portfolio's risk that its return needs.
 *
 * tgt_type risk: the frontier portfolio of highest return R* within the portfolio's risk;
 * score = 100 × (Rₚ − R₀) / (R* − R₀), with R₀ the least-variance portfolio's return: the
 * share of the return the frontier adds for taking that risk that the portfolio earns
 * (0 at or below R₀).
 *
 * Where the frontier cannot match the portfolio (more return, or less risk, than any
 * portfolio within the limits) it does no better, and the score is 100.
 */
export function optimizationScore(problem: MeanVarianceProblem, weights: readonly number[], targetType: TargetType, minAssets: number, limitsField: string): OptimizationScore {
  const current: Allocation = { weights: [...weights], return: weightedMean(weights, problem.mean), risk: weightedRisk(weights, problem.covariance) };
  const best = (optimizer: MeanVarianceOptimizer): Allocation => {
    const ends = optimizer.ends(limitsField);
    if (targetType === 'return') {
      if (current.return > ends.high.return) return ends.high;
      return optimalFor(optimizer, { type: 'return', value: current.return, field: limitsField }, limitsField).optimal;
    }
    if (current.risk < ends.low.risk) return ends.low;
    return optimalFor(optimizer, { type: 'risk', value: current.risk, field: limitsField }, limitsField).optimal;
  };
  const { optimizer, optimal } = withMinimumAssets(new MeanVarianceOptimizer(problem), problem, minAssets, best);
  const leastRisk = optimizer.ends(limitsField).low;
  return { score: score(current, optimal, leastRisk, targetType), current, optimal, leastRisk };
}

function score(current: Allocation, optimal: Allocation, leastRisk: Allocation, targetType: TargetType): number {
  if (targetType === 'return') {
    if (optimal.return < current.return - TOLERANCE || current.risk <= 0) return 100;
    return clamp((100 * optimal.risk) / current.risk);
  }
  if (optimal.risk > current.risk + TOLERANCE) return 100;
  const gain = optimal.return - leastRisk.return;
  if (gain <= TOLERANCE) return current.return >= optimal.return - TOLERANCE ? 100 : 0;
  return clamp((100 * (current.return - leastRisk.return)) / gain);
}
