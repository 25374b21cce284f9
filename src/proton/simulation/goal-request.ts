import type { DocOf, EntityReader } from '../../platform/read/entity-reader.ts';
import { CalculationError } from '../calculation-error.ts';
import { periodsPerYear, type Frequency } from '../frequency.ts';
import type { FlowStream, Reference } from './goal-plan.ts';
import type { GoalProblem } from './goal-problem.ts';
import type { RecommendationBounds, RecommendType } from './goal-recommendation.ts';
import { freshSeed } from './random.ts';

/** The fields of the six goal requests, after validation filled in their defaults. */
export interface GoalBody {
  curr_inv?: number;
  deposit_config: {
    dep_start_reference: Reference;
    dep_start_period: number;
    dep_end_reference: Reference;
    dep_end_period: number;
    dep_amount: number;
    dep_frequency: Frequency;
    dep_inflation: number;
  }[];
  horizon_frequency: Frequency;
  conf_tgt: number;
  thresh_type: 'amnt' | 'perc';
  thresh: number;
  withdrawal_tax: number;
  adjust_for_compounding: boolean;
  compounding_rate: number;
  recommend_type: RecommendType;
  recommendation_config: {
    recommend?: boolean;
    inv_min: number;
    inv_max: number | null;
    dep_min: number;
    dep_max: number | null;
    horizon_min: number;
    horizon_max: number;
    recommended_inflation: number;
  };
  trading_days_per_year: number;
  n: number;
  seed: number | null;
  remove_outliers: boolean;
  goal_id?: string;
  client_id?: string;
  goal_config?: { goal_amount?: number; goal_inflation: number };
  horizon?: number | null;
  a_horizon?: number | null;
  d_horizon?: number | null;
  withdrawal_config?: {
    with_amount: number;
    with_frequency: Frequency;
    with_start_reference: Reference;
    with_start_period: number;
    with_end_reference: Reference;
    with_end_period: number;
    with_inflation: number;
  }[];
  p_ret?: number[];
  p_risk?: number[];
}

/** A horizon stated in years on a Nucleus goal, as whole horizon periods. */
function periodsOf(years: unknown, perYear: number): number | null {
  return typeof years === 'number' && years >= 0 ? Math.round(years * perYear) : null;
}

/**
 * The goal a request describes. What the request leaves out is taken from the Nucleus goal it
 * names (read with the caller's rights, so another client's goal is a 404): goal_amount and
 * the horizons, which Nucleus keeps in years.
 */
export async function goalProblem(
  reader: EntityReader,
  body: GoalBody,
  kind: 'accumulation' | 'decumulation',
  returns: { annualReturns: readonly number[]; annualRisks: readonly number[] },
): Promise<GoalProblem> {
  const goal: Partial<DocOf<'goal'>> = body.goal_id ? await reader.doc('goal', body.goal_id) : {};
  const perYear = periodsPerYear(body.horizon_frequency);
  const stated = kind === 'accumulation' ? body.horizon : body.a_horizon;
  const accumulation = stated ?? periodsOf(goal.accumulation_horizon, perYear);
  if (accumulation === null || accumulation === undefined) throw new CalculationError(kind === 'accumulation' ? 'horizon' : 'a_horizon', 'is required unless goal_id names a goal with accumulation_horizon');
  let decumulation = 0;
  if (kind === 'decumulation') {
    const found = body.d_horizon ?? periodsOf(goal.decumulation_horizon, perYear);
    if (found === null) throw new CalculationError('d_horizon', 'is required unless goal_id names a goal with decumulation_horizon');
    decumulation = found;
  }
  const goalAmount = body.goal_config?.goal_amount ?? (typeof goal.goal_amount === 'number' ? goal.goal_amount : undefined);
  if (kind === 'accumulation' && goalAmount === undefined) throw new CalculationError('goal_config.goal_amount', 'is required unless goal_id names a goal with goal_amount');
  if (kind === 'decumulation' && !body.withdrawal_config) throw new CalculationError('withdrawal_config', 'is required for a decumulation goal');
  const deposits: FlowStream[] = body.deposit_config.map((d) => ({
    amount: d.dep_amount,
    perYear: periodsPerYear(d.dep_frequency),
    inflation: d.dep_inflation,
    start: d.dep_start_reference,
    startPeriod: d.dep_start_period,
    end: d.dep_end_reference,
    endPeriod: d.dep_end_period,
  }));
  const withdrawals: FlowStream[] = (body.withdrawal_config ?? []).map((w) => ({
    amount: w.with_amount,
    perYear: periodsPerYear(w.with_frequency),
    inflation: w.with_inflation,
    start: w.with_start_reference,
    startPeriod: w.with_start_period,
    end: w.with_end_reference,
    endPeriod: w.with_end_period,
  }));
  return {
    kind,
    n: body.n,
    seed: body.seed ?? freshSeed(),
    removeOutliers: body.remove_outliers,
    confidenceTarget: body.conf_tgt,
    perYear,
    returnPerYear: body.horizon_frequency === 'day' ? body.trading_days_per_year : perYear,
    ...returns,
    initialBalance: body.curr_inv ?? 0,
    accumulation,
    decumulation,
    deposits,
    withdrawals,
    withdrawalTax: body.withdrawal_tax,
    compoundingRate: body.adjust_for_compounding ? body.compounding_rate : null,
    goalAmount: goalAmount ?? 0,
    goalInflation: body.goal_config?.goal_inflation ?? 0,
    threshold: body.thresh,
    thresholdType: body.thresh_type,
  };
}

export function recommendationBounds(body: GoalBody): RecommendationBounds {
  const c = body.recommendation_config;
  if (c.dep_max !== null && c.dep_max < c.dep_min) throw new CalculationError('recommendation_config.dep_max', 'is below dep_min');
  if (c.inv_max !== null && c.inv_max < c.inv_min) throw new CalculationError('recommendation_config.inv_max', 'is below inv_min');
  if (c.horizon_max < c.horizon_min) throw new CalculationError('recommendation_config.horizon_max', 'is below horizon_min');
  return {
    depositMin: c.dep_min,
    depositMax: c.dep_max,
    investmentMin: c.inv_min,
    investmentMax: c.inv_max,
    horizonMin: c.horizon_min,
    horizonMax: c.horizon_max,
    inflation: c.recommended_inflation,
  };
}
