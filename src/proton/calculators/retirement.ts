import { CalculationError } from '../calculation-error.ts';
import { largestPayout, runGoal, smallestFunding, type GoalOutcome, type GoalPlan } from './goal-plan.ts';
import { Decimal, ONE, ZERO, dec } from '../money.ts';

/**
 * Saving for retirement, then living on it: deposits until the retirement age, then each year
 * of retirement the savings pay, at the start of the year, the part of the covered expenses
 * that other retirement income does not. Ages are whole years; rates are annual fractions.
 */
export interface RetirementInput {
  currentAge: number;
  retirementAge: number;
  deathAge: number;
  portfolioReturn: number;
  /** Grows expenses, retirement income and inflation-adjusted deposits, from today. */
  inflationRate: number;
  /** Tax on money taken out of the savings. */
  retirementTax: number;
  retirementSavings: number;
  /** Yearly income in retirement from elsewhere (a pension, social security), in today's money. */
  retirementIncome: number;
  deposit: { amount: number; perYear: number; adjustForInflation: boolean };
  /** Yearly expenses in retirement, in today's money. */
  retirementExpenses: number;
  percentOfExpensesCovered: number;
}

/**
 * Someone already past the retirement age is retired from today; a death age at or before
 * retirement leaves no retirement years to fund.
 */
function years(input: RetirementInput): { saving: number; retired: number } {
  if (input.retirementTax >= 1) {
    throw new CalculationError('retirement_tax', 'must be below 1: a 100% tax leaves nothing to live on');
  }
  const retiresAt = Math.max(input.retirementAge, input.currentAge);
  return { saving: retiresAt - input.currentAge, retired: Math.max(0, input.deathAge - retiresAt) };
}

/** What the savings must pay in a retirement year, in today's money: never negative. */
function drawing(input: RetirementInput, percent: Decimal = dec(input.percentOfExpensesCovered)): Decimal {
  return Decimal.max(ZERO, dec(input.retirementExpenses).times(percent).minus(input.retirementIncome));
}

function goalOf(input: RetirementInput, payout: Decimal): GoalPlan {
  const span = years(input);
  const inflation = dec(input.inflationRate);
  return {
    startBalance: dec(input.retirementSavings),
    annualReturn: dec(input.portfolioReturn),
    accumulationYears: span.saving,
    decumulationYears: span.retired,
    deposit: dec(input.deposit.amount),
    depositsPerYear: input.deposit.perYear,
    depositInflation: input.deposit.adjustForInflation ? inflation : ZERO,
    payout,
    payoutsPerYear: 1,
    payoutInflation: inflation,
    withdrawalTaxRate: dec(input.retirementTax),
  };
}

export function solveRetirementDeposit(input: RetirementInput): { depositAmount: Decimal; outcome: GoalOutcome } {
  const goal = goalOf(input, drawing(input));
  const deposit = smallestFunding(goal, 'deposit');
  if (deposit === null) {
    throw new CalculationError('retirement_age', 'the savings cannot pay the expenses and there are no working years to deposit in');
  }
  return { depositAmount: deposit, outcome: runGoal({ ...goal, deposit }) };
}

/**
 * The fraction of the expenses that savings and retirement income together pay, at most 1.
 * With no retirement years every expense is covered.
 */
export function solveRetirementPercentCovered(input: RetirementInput): { percentCovered: Decimal; outcome: GoalOutcome } {
  const goal = goalOf(input, ZERO);
  const affordable = largestPayout(goal);
  const expenses = dec(input.retirementExpenses);
  if (affordable === null || expenses.isZero()) {
    return { percentCovered: ONE, outcome: runGoal({ ...goal, payout: drawing(input, ONE) }) };
  }
  const percent = Decimal.min(ONE, affordable.plus(input.retirementIncome).div(expenses));
  return { percentCovered: percent, outcome: runGoal({ ...goal, payout: drawing(input, percent) }) };
}

/** The largest yearly expenses, in today's money, of which savings and income pay the requested fraction. */
export function solveRetirementExpenses(input: Omit<RetirementInput, 'retirementExpenses'>): { expenses: Decimal; outcome: GoalOutcome } {
  const full = { ...input, retirementExpenses: 0 };
  const goal = goalOf(full, ZERO);
  if (goal.decumulationYears === 0) {
    throw new CalculationError('death_age', 'must be above retirement_age and current_age: with no retirement years any expenses are covered');
  }
  if (input.percentOfExpensesCovered === 0) {
    throw new CalculationError('percent_of_expenses_covered', 'must be above 0: covering none of the expenses fits any expenses');
  }
  const payout = largestPayout(goal) ?? ZERO;
  return { expenses: payout.plus(input.retirementIncome).div(input.percentOfExpensesCovered), outcome: runGoal({ ...goal, payout }) };
}
