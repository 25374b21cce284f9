import { affineRoot } from './affine-solve.ts';
import { finalBalance, simulate, type CashFlowPlan, type ScheduleRow } from './cash-flows.ts';
import { Decimal, ZERO, growth } from '../money.ts';

/**
 * Saving for a goal, then paying it out: the shape shared by the annuity, education and
 * retirement calculators. One schedule row per year; deposits during the accumulation years,
 * payouts during the decumulation years that follow.
 */
export interface GoalPlan {
  startBalance: Decimal;
  annualReturn: Decimal;
  accumulationYears: number;
  decumulationYears: number;
  /** Each deposit in today's money, grown yearly by depositInflation (zero when not adjusted). */
  deposit: Decimal;
  depositsPerYear: number;
  depositInflation: Decimal;
  /** Each payout received, after tax, in today's money, grown yearly by payoutInflation. */
  payout: Decimal;
  payoutsPerYear: number;
  payoutInflation: Decimal;
  withdrawalTaxRate: Decimal;
}

export function cashFlowPlan(goal: GoalPlan): CashFlowPlan {
  const A = goal.accumulationYears;
  return {
    startBalance: goal.startBalance,
    rowsPerYear: 1,
    rows: A + goal.decumulationYears,
    annualReturn: () => goal.annualReturn,
    earningsTaxRate: ZERO,
    withdrawalTaxRate: goal.withdrawalTaxRate,
    streams: [
      {
        kind: 'deposit',
        perYear: goal.depositsPerYear,
        first: 0,
        count: A * goal.depositsPerYear,
        amountInYear: (year) => goal.deposit.times(growth(goal.depositInflation, year)),
      },
      {
        kind: 'withdrawal',
        perYear: goal.payoutsPerYear,
        first: A * goal.payoutsPerYear,
        count: goal.decumulationYears * goal.payoutsPerYear,
        amountInYear: (year) => goal.payout.times(growth(goal.payoutInflation, year)),
      },
    ],
  };
}

export interface GoalOutcome {
  plan: GoalPlan;
  /** The balance when payouts begin. */
  accumulationBalance: Decimal;
  schedule: ScheduleRow[];
}

export function runGoal(goal: GoalPlan): GoalOutcome {
  const schedule = simulate(cashFlowPlan(goal));
  const A = goal.accumulationYears;
  return { plan: goal, accumulationBalance: A === 0 ? goal.startBalance : schedule[A - 1].endBalance, schedule };
}

/** The balance after the last period; with no periods at all, what the plan started with. */
export function endingBalance(outcome: GoalOutcome): Decimal {
  return outcome.schedule.at(-1)?.endBalance ?? outcome.plan.startBalance;
}

function finalWith(goal: GoalPlan, change: Partial<GoalPlan>): Decimal {
  return finalBalance(cashFlowPlan({ ...goal, ...change }));
}

type AmountField = 'startBalance' | 'deposit' | 'payout';

/**
 * The value of one amount that leaves exactly nothing after the last payout. Null when the
 * amount has no effect on the outcome (no deposit periods, no payout periods).
 */
export function breakEven(goal: GoalPlan, field: AmountField): Decimal | null {
  return affineRoot((x) => finalWith(goal, { [field]: x }));
}

/** Whether the plan, as given, pays every payout. */
export function isFunded(goal: GoalPlan): boolean {
  return !finalBalance(cashFlowPlan(goal)).lt(0);
}

/** The smallest non-negative amount (deposit or start balance) that funds the goal; null if none does. */
export function smallestFunding(goal: GoalPlan, field: 'startBalance' | 'deposit'): Decimal | null {
  if (isFunded({ ...goal, [field]: ZERO })) return ZERO;
  return breakEven(goal, field);
}

/** The largest payout the plan sustains (zero payout periods sustain any, reported as null). */
export function largestPayout(goal: GoalPlan): Decimal | null {
  const root = breakEven(goal, 'payout');
  if (root === null) return null;
  return root.lt(0) ? ZERO : root;
}
