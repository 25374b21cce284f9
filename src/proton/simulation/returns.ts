import { CalculationError } from '../calculation-error.ts';

/**
 * Simulated returns are log-normal: the growth factor 1 + R of a period is exp(m + s·Z) with
 * Z standard normal, so a balance can never be driven below zero by a return, and compounding
 * the periods of a year gives a log-normal year again. m and s are chosen so that R has
 * exactly the requested arithmetic mean μ and standard deviation σ:
 *   s² = ln(1 + σ² / (1 + μ)²),   m = ln(1 + μ) − s² / 2.
 */
export interface LogParams {
  m: number;
  s: number;
  /** 1 + μ, used as the growth factor itself when σ = 0 so that a riskless path is exact. */
  growth: number;
}

export function logParams(mean: number, deviation: number): LogParams {
  const growth = 1 + mean;
  if (growth <= 0) return { m: Number.NEGATIVE_INFINITY, s: 0, growth: 0 };
  if (deviation === 0) return { m: Math.log(growth), s: 0, growth };
  const s2 = Math.log1p((deviation * deviation) / (growth * growth));
  return { m: Math.log(growth) - s2 / 2, s: Math.sqrt(s2), growth };
}

/** The mean and deviation of one period's return from annual figures, for a period of 1/perYear years. */
export function periodMoments(annualMean: number, annualRisk: number, perYear: number): { mean: number; deviation: number } {
  if (perYear === 1) return { mean: annualMean, deviation: annualRisk };
  const annual = logParams(annualMean, annualRisk);
  if (annual.growth === 0) return { mean: -1, deviation: 0 };
  const m = annual.m / perYear;
  const s2 = (annual.s * annual.s) / perYear;
  const mean = Math.exp(m + s2 / 2);
  return { mean: mean - 1, deviation: mean * Math.sqrt(Math.expm1(s2)) };
}

/**
 * A per-period series stretched over `periods` periods: L values cover the horizon in L equal
 * runs in order, so [a, b] over four periods is a, a, b, b. More values than periods is an error.
 */
export function conform(values: readonly number[], periods: number, field: string): Float64Array {
  if (values.length === 0) throw new CalculationError(field, 'needs at least one value');
  if (values.length > periods) throw new CalculationError(field, `has ${values.length} values for ${periods} periods`);
  const out = new Float64Array(periods);
  for (let t = 0; t < periods; t++) out[t] = values[Math.floor((t * values.length) / periods)];
  return out;
}
