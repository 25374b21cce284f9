import { CalculationError } from '../calculation-error.ts';
import { solveGoalDeposit } from './goal-calculator.ts';
import { largestPayout, runGoal, type GoalOutcome, type GoalPlan } from './goal-plan.ts';
import { Decimal, ONE, ZERO, dec } from '../money.ts';

/**
 * Saving for education: deposits until study starts, then one payment of the year's cost at
 * the start of each year of study. Rates are annual fractions.
 */
export interface EducationInput {
  portfolioReturn: number;
  /** Growth of education costs, from today. */
  educationInflationRate: number;
  /** Growth of inflation-adjusted deposits. */
  generalInflationRate: number;
  /** Tax on money taken out to pay the costs. */
  taxRate: number;
  accumulationYears: number;
  decumulationYears: number;
  initialBalance: number;
  /** Paid at the end of each deposit period until study starts. */
  deposit: { amount: number; perYear: number; adjustForInflation: boolean };
  /** A year of study, in today's money. */
  totalAnnualCost: number;
  /** The fraction of each year's cost the savings pay. */
  percentOfCostsCovered: number;
}

function goalOf(input: EducationInput): GoalPlan {
  return {
    startBalance: dec(input.initialBalance),
    annualReturn: dec(input.portfolioReturn),
    accumulationYears: input.accumulationYears,
    decumulationYears: input.decumulationYears,
    deposit: dec(input.deposit.amount),
    depositsPerYear: input.deposit.perYear,
    depositInflation: input.deposit.adjustForInflation ? dec(input.generalInflationRate) : ZERO,
    payout: dec(input.totalAnnualCost).times(input.percentOfCostsCovered),
    payoutsPerYear: 1,
    payoutInflation: dec(input.educationInflationRate),
    withdrawalTaxRate: dec(input.taxRate),
  };
}

function checkPayableTax(input: { taxRate: number }): void {
  if (input.taxRate >= 1) throw new CalculationError('tax_rate', 'must be below 1: a 100% tax leaves nothing to pay costs with');
}

export function solveEducationDeposit(input: EducationInput): { depositAmount: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  return solveGoalDeposit(goalOf(input), 'the costs');
}

/** The fraction of the costs the savings pay, at most 1 (a surplus stays in the balance). */
export function solveEducationPercentCovered(input: EducationInput): { percentCovered: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  const fullCost = goalOf({ ...input, percentOfCostsCovered: 1 });
  const affordable = largestPayout(fullCost);
  const percent =
    affordable === null || fullCost.payout.isZero() ? ONE : Decimal.min(ONE, affordable.div(fullCost.payout));
  return { percentCovered: percent, outcome: runGoal({ ...fullCost, payout: fullCost.payout.times(percent) }) };
}

/** The largest yearly cost, in today's money, of which the savings pay the requested fraction. */
export function solveEducationAnnualCost(input: Omit<EducationInput, 'totalAnnualCost'>): { annualCost: Decimal; outcome: GoalOutcome } {
  checkPayableTax(input);
  if (input.decumulationYears === 0) {
    throw new CalculationError('decumulation_horizon', 'must be at least 1: with no years of study any cost is covered');
  }
  if (input.percentOfCostsCovered === 0) {
    throw new CalculationError('percent_of_costs_covered', 'must be above 0: covering none of the cost fits any cost');
  }
  const goal = goalOf({ ...input, totalAnnualCost: 0 });
  const payout = largestPayout(goal) ?? ZERO;
  return { annualCost: payout.div(input.percentOfCostsCovered), outcome: runGoal({ ...goal, payout }) };
}
