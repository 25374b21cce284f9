import { NormalSource } from './random.ts';
import type { LogParams } from './returns.ts';
import type { GoalFlows } from './goal-plan.ts';

/**
 * The stochastic side of a goal. Each step, vectorised across paths: the step's withdrawal is
 * taken (as much of it as the balance holds; the rest is a shortfall), the balance grows by a
 * log-normal factor, and the step's deposits are credited.
 *
 * Shocks are drawn step by step, n at a time, from a generator seeded afresh for every run, so
 * two runs with the same seed and n see the same shocks in the same steps (common random
 * numbers). More money in, or a lower target, can then only raise the share of paths that
 * succeed, which makes the recommendation searches monotone.
 */
export interface GoalRun {
  n: number;
  seed: number;
  initialBalance: number;
  /** Return parameters of each step 1..steps (index 0 unused). */
  returns: LogParams[];
  flows: GoalFlows;
}

export interface GoalPaths {
  finals: Float64Array;
  /** Gross withdrawals each path could not pay. */
  shortfalls: Float64Array;
}

export function runGoal(run: GoalRun, onStep?: (step: number, balances: Float64Array) => void): GoalPaths {
  const { n, flows } = run;
  const source = new NormalSource(run.seed);
  const shocks = new Float64Array(n);
  const balances = new Float64Array(n).fill(run.initialBalance);
  const shortfalls = new Float64Array(n);
  onStep?.(0, balances);
  for (let j = 1; j <= flows.steps; j++) {
    const { m, s, growth } = run.returns[j];
    const take = flows.withdrawals[j];
    const add = flows.deposits[j];
    if (s > 0) source.fillNormals(shocks);
    for (let i = 0; i < n; i++) {
      let b = balances[i] - take;
      if (b < 0) {
        shortfalls[i] -= b;
        b = 0;
      }
      balances[i] = b * (s > 0 ? Math.exp(m + s * shocks[i]) : growth) + add;
    }
    onStep?.(j, balances);
  }
  return { finals: balances, shortfalls };
}
