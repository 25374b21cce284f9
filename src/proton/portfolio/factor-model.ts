import { CalculationError } from '../calculation-error.ts';
import { solveQuadratic } from '../market/quadratic-program.ts';
import { mean, standardDeviation } from '../market/statistics.ts';

export interface FactorMove {
  change_amount: number;
  change_duration: number;
  lag: number;
}

export interface FactorFit {
  intercept: number;
  betas: number[];
  rSquared: number;
  residualSd: number;
  observations: number;
}

/**
 * Ordinary least squares of the portfolio's return on the factors' returns, each factor
 * taken `lag` periods earlier: p(t) = α + Σ βₖ fₖ(t − lagₖ) + ε(t). The normal equations
 * (XᵀX)b = Xᵀy are solved as the unconstrained quadratic program ½bᵀ(XᵀX)b − (Xᵀy)ᵀb.
 */
export function fitFactors(portfolio: ArrayLike<number>, factors: readonly ArrayLike<number>[], lags: readonly number[], field: string): FactorFit {
  const maxLag = Math.max(0, ...lags);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let t = maxLag; t < portfolio.length; t++) {
    rows.push([1, ...factors.map((f, k) => f[t - lags[k]])]);
    y.push(portfolio[t]);
  }
  const k = factors.length + 1;
  if (rows.length < k + 1) throw new CalculationError(field, `leaves ${rows.length} observations for ${k} coefficients; widen start_date to end_date`);
  const xtx = Array.from({ length: k }, () => new Float64Array(k));
  const xty = new Float64Array(k);
  rows.forEach((row, t) => {
    for (let i = 0; i < k; i++) {
      xty[i] += row[i] * y[t];
      for (let j = 0; j < k; j++) xtx[i][j] += row[i] * row[j];
    }
  });
  const solved = solveQuadratic({ D: xtx, d: xty, equalities: [], inequalities: [] });
  if (!solved.feasible) throw new CalculationError(field, 'the factors did not move independently in the window, so their effects cannot be told apart');
  const [intercept, ...betas] = solved.x;
  const residuals = rows.map((row, t) => y[t] - row.reduce((sum, x, i) => sum + x * solved.x[i], 0));
  const my = mean(y);
  const total = y.reduce((sum, v) => sum + (v - my) ** 2, 0);
  const unexplained = residuals.reduce((sum, e) => sum + e * e, 0);
  return { intercept, betas, rSquared: total > 0 ? 1 - unexplained / total : 1, residualSd: standardDeviation(residuals), observations: rows.length };
}

/** The steady per-period factor return that compounds to the move over its duration: (1 + Δ)^(1/d) − 1. */
export function perPeriodMove(move: FactorMove): number {
  return (1 + move.change_amount) ** (1 / move.change_duration) - 1;
}

/**
 * The portfolio's change over a scenario: the portfolio follows factor k in periods
 * lagₖ + 1 … lagₖ + dₖ, returning Σ βₖ gₖ in each period over the factors then active,
 * compounded over every period until the last factor's effect has passed.
 */
export function scenarioResponse(betas: readonly number[], moves: readonly FactorMove[]): number {
  const horizon = Math.max(...moves.map((m) => m.lag + m.change_duration));
  const steps = moves.map(perPeriodMove);
  let wealth = 1;
  for (let j = 1; j <= horizon; j++) {
    let r = 0;
    moves.forEach((m, k) => {
      if (j > m.lag && j <= m.lag + m.change_duration) r += betas[k] * steps[k];
    });
    wealth *= 1 + r;
  }
  return wealth - 1;
}
