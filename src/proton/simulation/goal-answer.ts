import { noChange, type GoalChange, type GoalProblem } from './goal-problem.ts';
import { recommend, type RecommendationBounds, type RecommendType } from './goal-recommendation.ts';
import { report } from './goal-status.ts';
import { toCents } from './rounding.ts';

/** A goal's status under a change, as the response reports it. */
export function statusOut(problem: GoalProblem, change: GoalChange) {
  const { outcome, finalMean, finalPercentiles, projection } = report(problem, change);
  const { setup, probability } = outcome;
  const target = problem.confidenceTarget;
  const [p10, p25, p50, p75, p90] = finalPercentiles.map(toCents);
  return {
    on_track: probability >= target,
    goal_probability: probability,
    goal_achievement_score: target === 0 ? 100 : Math.round(100 * Math.min(1, probability / target)),
    target_amount: toCents(setup.target),
    accumulation_horizon: change.accumulation,
    decumulation_horizon: problem.decumulation,
    current_investment: toCents(setup.initialBalance),
    one_time_investment: toCents(change.oneTime),
    recurring_deposit: toCents(change.recurring),
    total_deposits: toCents(setup.flows.totalDeposits),
    paths_kept: outcome.keptCount,
    final_balance: { mean: toCents(finalMean), p10, p25, p50, p75, p90 },
    projection: projection.map((row) => ({
      period: row.period,
      deposits: toCents(row.deposits),
      withdrawals: toCents(row.withdrawals),
      balance_p10: toCents(row.balances[0]),
      balance_p50: toCents(row.balances[1]),
      balance_p90: toCents(row.balances[2]),
    })),
  };
}

/** The current status and, when asked for, the recommendation and the status it leads to. */
export function goalAnswer(problem: GoalProblem, type: RecommendType, bounds: RecommendationBounds | null) {
  const found = bounds ? recommend(problem, type, bounds) : null;
  return {
    current_status: statusOut(problem, noChange(problem)),
    recommendation: found && {
      recommend_type: found.type,
      reached: found.reached,
      one_time_investment: toCents(found.change.oneTime),
      recurring_deposit: toCents(found.change.recurring),
      horizon: found.change.accumulation,
    },
    recommended_status: found && statusOut(problem, found.change),
    paths: problem.n,
    seed: problem.seed,
  };
}
