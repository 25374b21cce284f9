import { CalculationError } from '../calculation-error.ts';
import { dec, growth } from '../money.ts';
import { goalFlows, type FlowStream, type GoalFlows } from './goal-plan.ts';
import { conform, logParams, periodMoments, type LogParams } from './returns.ts';

/** A goal as the simulation sees it, every default and Nucleus value filled in. */
export interface GoalProblem {
  kind: 'accumulation' | 'decumulation';
  n: number;
  seed: number;
  removeOutliers: boolean;
  confidenceTarget: number;
  /** Horizon periods a year. */
  perYear: number;
  /** Periods a year over which the annual return and risk accrue (trading days for a daily horizon). */
  returnPerYear: number;
  annualReturns: readonly number[];
  annualRisks: readonly number[];
  initialBalance: number;
  accumulation: number;
  decumulation: number;
  deposits: FlowStream[];
  withdrawals: FlowStream[];
  withdrawalTax: number;
  compoundingRate: number | null;
  goalAmount: number;
  goalInflation: number;
  threshold: number;
  thresholdType: 'amnt' | 'perc';
}

/** What a recommendation changes: money added today, a recurring deposit, a horizon. */
export interface GoalChange {
  oneTime: number;
  /** The recurring deposit of each horizon period through accumulation, and its yearly growth. */
  recurring: number;
  recurringInflation: number;
  accumulation: number;
}

export function noChange(problem: GoalProblem): GoalChange {
  return { oneTime: 0, recurring: 0, recurringInflation: 0, accumulation: problem.accumulation };
}

/** A reached balance within half a cent of the mark counts, so a riskless path on the boundary succeeds. */
export const HALF_CENT = 0.005;

export interface GoalSetup {
  initialBalance: number;
  flows: GoalFlows;
  returns: LogParams[];
  /** Accumulation: the inflated goal amount; decumulation: the withdrawals asked for, after tax. */
  target: number;
  /** Accumulation: the lowest final balance that succeeds; decumulation: the largest shortfall that does, after tax. */
  mark: number;
}

/** The deterministic inputs of one run of the goal under a change. */
export function setUp(problem: GoalProblem, change: GoalChange): GoalSetup {
  const accumulation = change.accumulation;
  const plan = { ...problem, accumulation };
  const deposits = change.recurring > 0
    ? [...problem.deposits, { amount: change.recurring, perYear: problem.perYear, inflation: change.recurringInflation, start: 'a_start', startPeriod: 0, end: 'a_end', endPeriod: 0 } as FlowStream]
    : problem.deposits;
  const flows = goalFlows({ ...plan, deposits });
  const steps = flows.steps;
  const returns: LogParams[] = [logParams(0, 0)];
  if (steps > 0) {
    const means = conform(problem.annualReturns, steps, 'p_ret');
    const risks = conform(problem.annualRisks, steps, 'p_risk');
    for (let j = 0; j < steps; j++) {
      const { mean, deviation } = periodMoments(means[j], risks[j], problem.returnPerYear);
      returns.push(logParams(mean, deviation));
    }
  }
  if (problem.thresholdType === 'perc' && problem.threshold > 1) throw new CalculationError('thresh', 'is a fraction of the goal with thresh_type perc, so at most 1');
  let target: number;
  let allowance: number;
  if (problem.kind === 'accumulation') {
    target = dec(problem.goalAmount).times(growth(dec(problem.goalInflation), dec(accumulation).div(problem.perYear))).toNumber();
    allowance = problem.thresholdType === 'amnt' ? problem.threshold : problem.threshold * target;
    return { initialBalance: problem.initialBalance + change.oneTime, flows, returns, target, mark: Math.max(0, target - allowance) };
  }
  target = flows.totalWithdrawals;
  allowance = problem.thresholdType === 'amnt' ? problem.threshold : problem.threshold * target;
  return { initialBalance: problem.initialBalance + change.oneTime, flows, returns, target, mark: allowance };
}
