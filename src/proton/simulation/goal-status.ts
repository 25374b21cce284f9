import { keptPaths, meanOf, percentiles } from './percentiles.ts';
import { runGoal, type GoalPaths } from './goal-simulation.ts';
import { HALF_CENT, setUp, type GoalChange, type GoalProblem, type GoalSetup } from './goal-problem.ts';
import { checkWork } from './monte-carlo.ts';
import type { GoalFlows } from './goal-plan.ts';

export const FINAL_PERCENTILES = [10, 25, 50, 75, 90] as const;
export const PROJECTION_PERCENTILES = [10, 50, 90] as const;

export interface GoalOutcome {
  setup: GoalSetup;
  probability: number;
  kept: Uint32Array | null;
  keptCount: number;
  paths: GoalPaths;
}

function succeeded(problem: GoalProblem, setup: GoalSetup, paths: GoalPaths, i: number): boolean {
  if (problem.kind === 'accumulation') return paths.finals[i] + HALF_CENT >= setup.mark;
  return paths.shortfalls[i] * (1 - problem.withdrawalTax) <= setup.mark + HALF_CENT;
}

/** One run of the goal under a change: the share of the kept paths that succeed. */
export function evaluate(problem: GoalProblem, change: GoalChange, onStep?: (step: number, balances: Float64Array) => void, keep?: Uint32Array | null): GoalOutcome {
  const setup = setUp(problem, change);
  checkWork(problem.n, Math.max(setup.flows.steps, 1));
  const paths = runGoal({ n: problem.n, seed: problem.seed, initialBalance: setup.initialBalance, returns: setup.returns, flows: setup.flows }, onStep);
  const kept = keep !== undefined ? keep : problem.removeOutliers ? keptPaths(paths.finals) : null;
  const keptCount = kept ? kept.length : problem.n;
  let successes = 0;
  if (kept) {
    for (let k = 0; k < kept.length; k++) if (succeeded(problem, setup, paths, kept[k])) successes++;
  } else {
    for (let i = 0; i < problem.n; i++) if (succeeded(problem, setup, paths, i)) successes++;
  }
  return { setup, probability: successes / keptCount, kept, keptCount, paths };
}

export interface ProjectionRow {
  period: number;
  deposits: number;
  withdrawals: number;
  balances: number[];
}

export interface GoalReport {
  outcome: GoalOutcome;
  finalMean: number;
  finalPercentiles: number[];
  projection: ProjectionRow[];
}

/**
 * The goal's status under a change, with the balance percentiles of every period. Outliers are
 * judged on final balances, so with remove_outliers a first run finds them and a second replays
 * the same shocks (same seed) to take each period's percentiles over the kept paths, without
 * storing every path; otherwise one run does both.
 */
export function report(problem: GoalProblem, change: GoalChange): GoalReport {
  const projection: ProjectionRow[] = [];
  const rows = (flows: GoalFlows, kept: Uint32Array | null) => (step: number, balances: Float64Array) => {
    projection.push({
      period: step,
      deposits: flows.deposits[step] ?? 0,
      withdrawals: flows.withdrawals[step] ?? 0,
      balances: percentiles(balances, kept, PROJECTION_PERCENTILES),
    });
  };
  let outcome: GoalOutcome;
  if (problem.removeOutliers) {
    outcome = evaluate(problem, change);
    evaluate(problem, change, rows(outcome.setup.flows, outcome.kept), outcome.kept);
  } else {
    const setup = setUp(problem, change);
    outcome = evaluate(problem, change, rows(setup.flows, null), null);
  }
  return {
    outcome,
    finalMean: meanOf(outcome.paths.finals, outcome.kept),
    finalPercentiles: percentiles(outcome.paths.finals, outcome.kept, FINAL_PERCENTILES),
    projection,
  };
}
