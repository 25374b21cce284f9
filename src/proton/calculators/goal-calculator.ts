import { CalculationError } from '../calculation-error.ts';
import { scheduleTotals } from './calculator-route.ts';
import { scheduleInCents } from './cash-flows.ts';
import { endingBalance, runGoal, smallestFunding, type GoalOutcome, type GoalPlan } from './goal-plan.ts';
import { cents, type Decimal } from '../money.ts';

/**
 * The smallest deposit that funds the goal. With no deposit years no deposit can make up what
 * the initial balance lacks; `payouts` names what it cannot pay, as the calculator's clients know it.
 */
export function solveGoalDeposit(goal: GoalPlan, payouts: string): { depositAmount: Decimal; outcome: GoalOutcome } {
  const deposit = smallestFunding(goal, 'deposit');
  if (deposit === null) {
    throw new CalculationError('accumulation_horizon', `the initial balance cannot pay ${payouts} and there are no deposit years to make up the difference`);
  }
  return { depositAmount: deposit, outcome: runGoal({ ...goal, deposit }) };
}

/**
 * The answer of a goal calculator: what it solved for, then the plan's balances, totals and
 * schedule. Each calculator's clients know the withdrawals total by their own name
 * (total_payouts, total_costs_paid).
 */
export function goalAnswer(withdrawalsTotal: string) {
  return (solved: Record<string, number>, outcome: GoalOutcome, inputs: object) => {
    const totals = scheduleTotals(outcome.schedule);
    return {
      ...solved,
      accumulation_balance: cents(outcome.accumulationBalance),
      total_deposits: totals.total_deposits,
      [withdrawalsTotal]: totals.total_withdrawals,
      total_earnings: totals.total_earnings,
      total_taxes: totals.total_taxes,
      ending_balance: cents(endingBalance(outcome)),
      inputs,
      schedule: scheduleInCents(outcome.schedule),
    };
  };
}
