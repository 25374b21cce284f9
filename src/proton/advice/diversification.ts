import { CalculationError } from '../calculation-error.ts';
import { weightedRisk } from '../market/statistics.ts';

export interface Diversification {
  /** 100 × (1 − σₚ² / (Σ wᵢσᵢ)²). */
  score: number;
  /** Σ wᵢσᵢ / σₚ; null when the portfolio's returns do not vary at all. */
  ratio: number | null;
  portfolioRisk: number;
  weightedAverageRisk: number;
}

/**
 * How much of its securities' risk a portfolio diversifies away. Held alone, each security
 * would bring its own risk σᵢ; held together they bring σₚ = √(wᵀΣw) ≤ Σ wᵢσᵢ. The score is the
 * share of the weighted average variance that correlation removes: 0 for a single security or
 * perfectly correlated ones, 100 − 100 / n for n equally weighted, equally risky uncorrelated
 * ones, and 100 when the risks cancel entirely. The diversification ratio Σ wᵢσᵢ / σₚ is the
 * same fact on another scale: score = 100 × (1 − 1 / ratio²).
 */
export function diversification(weights: readonly number[], covariance: readonly ArrayLike<number>[]): Diversification {
  const weightedAverageRisk = weights.reduce((sum, w, i) => sum + w * Math.sqrt(Math.max(covariance[i][i], 0)), 0);
  if (!(weightedAverageRisk > 0)) throw new CalculationError('start_date', "the securities' prices do not move within the dates, so there is no risk to diversify");
  const portfolioRisk = Math.min(weightedRisk(weights, covariance), weightedAverageRisk);
  return {
    score: 100 * (1 - (portfolioRisk / weightedAverageRisk) ** 2),
    ratio: portfolioRisk > 0 ? weightedAverageRisk / portfolioRisk : null,
    portfolioRisk,
    weightedAverageRisk,
  };
}
