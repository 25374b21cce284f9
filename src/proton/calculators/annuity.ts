import { CalculationError } from '../calculation-error.ts';
import { runRow } from './cash-flows.ts';
import { solveGoalDeposit } from './goal-calculator.ts';
import { cashFlowPlan, largestPayout, runGoal, smallestFunding, type GoalOutcome, type GoalPlan } from './goal-plan.ts';
import { Decimal, ZERO, dec, growth } from '../money.ts';
import { MAX_SEARCH_YEARS } from './search-limit.ts';

/** A fixed annuity: years of deposits, then years of payouts. Rates are annual fractions. */
export interface AnnuityInput {
  portfolioReturn: number;
  inflationRate: number;
  /** Tax on the payouts; the payout amount is what the owner receives after it. */
  taxRate: number;
  accumulationYears: number;
  decumulationYears: number;
  initialBalance: number;
  /** Paid at the end of each deposit period during the accumulation years. */
  deposit: { amount: number; perYear: number; adjustForInflation: boolean };
  /** Paid at the start of each payout period, in today's money: it grows with inflation from today. */
  annuity: { amount: number; perYear: number };
}

function goalOf(input: AnnuityInput): GoalPlan {
  const inflation = dec(input.inflationRate);
  return {
    startBalance: dec(input.initialBalance),
    annualReturn: dec(input.portfolioReturn),
    accumulationYears: input.accumulationYears,
    decumulationYears: input.decumulationYears,
    deposit: dec(input.deposit.amount),
    depositsPerYear: input.deposit.perYear,
    depositInflation: input.deposit.adjustForInflation ? inflation : ZERO,
    payout: dec(input.annuity.amount),
    payoutsPerYear: input.annuity.perYear,
    payoutInflation: inflation,
    withdrawalTaxRate: dec(input.taxRate),
  };
}

function checkPayableTax(input: AnnuityInput): void {
  if (input.taxRate >= 1) throw new CalculationError('tax_rate', 'must be below 1: no payout survives a 100% tax');
}

/** The smallest deposit that pays the whole annuity; zero when the initial balance already does. */
export function solveAnnuityDeposit(input: AnnuityInput): { depositAmount: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  return solveGoalDeposit(goalOf(input), 'the annuity');
}

/** The smallest initial balance that, with the deposits, pays the whole annuity. */
export function solveAnnuityInitialBalance(input: AnnuityInput): { initialBalance: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  const goal = goalOf(input);
  const startBalance = smallestFunding(goal, 'startBalance') ?? ZERO;
  return { initialBalance: startBalance, outcome: runGoal({ ...goal, startBalance }) };
}

/** The largest payout, in today's money, that the balance and deposits sustain for the whole payout period. */
export function solveAnnuityAmount(input: AnnuityInput): { annuityAmount: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  const goal = goalOf(input);
  const payout = largestPayout(goal) ?? ZERO;
  return { annuityAmount: payout, outcome: runGoal({ ...goal, payout }) };
}

/**
 * The fewest whole years of deposits after which the annuity can be paid in full. Payouts are
 * in today's money, so waiting also makes them larger; years are tried in order.
 */
export function solveAccumulationHorizon(input: AnnuityInput): { accumulationYears: number; outcome: GoalOutcome } {
  checkPayableTax(input);
  const goal = goalOf(input);
  const D = input.decumulationYears;
  // What the payouts cost, valued at their end, if they started today; starting A years later
  // scales every payout, and so the cost, by (1 + inflation)^A.
  const cost = runGoal({ ...goal, startBalance: ZERO, deposit: ZERO, accumulationYears: 0 }).schedule.at(-1)!.endBalance.neg();
  const growthOverPayouts = growth(goal.annualReturn, D);
  const saving = cashFlowPlan({ ...goal, accumulationYears: MAX_SEARCH_YEARS, decumulationYears: 0 });
  let balance = goal.startBalance;
  for (let years = 0; years <= MAX_SEARCH_YEARS; years++) {
    if (balance.times(growthOverPayouts).gte(cost.times(growth(goal.payoutInflation, years)))) {
      return { accumulationYears: years, outcome: runGoal({ ...goal, accumulationYears: years }) };
    }
    if (years < MAX_SEARCH_YEARS) balance = runRow(saving, years, balance).endBalance;
  }
  throw new CalculationError('annuity_amount', `cannot be paid after any accumulation period up to ${MAX_SEARCH_YEARS} years`);
}

/**
 * The most whole years the annuity can be paid in full, up to the search limit (reaching the
 * limit means the payouts last at least that long); 0 when not even the first year is.
 */
export function solveDecumulationHorizon(input: AnnuityInput): { decumulationYears: number; outcome: GoalOutcome } {
  checkPayableTax(input);
  const goal = goalOf(input);
  const A = input.accumulationYears;
  const plan = cashFlowPlan({ ...goal, decumulationYears: MAX_SEARCH_YEARS });
  let balance = goal.startBalance;
  for (let row = 0; row < A; row++) balance = runRow(plan, row, balance).endBalance;
  let years = 0;
  while (years < MAX_SEARCH_YEARS) {
    const next = runRow(plan, A + years, balance).endBalance;
    if (next.lt(0)) break;
    balance = next;
    years++;
  }
  return { decumulationYears: years, outcome: runGoal({ ...goal, decumulationYears: years }) };
}
