import type { FastifyInstance } from 'fastify';
import { endingBalance, type GoalOutcome } from './goal-plan.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator, scheduleTotals } from './calculator-route.ts';
import { scheduleInCents } from './cash-flows.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents, ratio } from '../money.ts';
import { solveRetirementDeposit, solveRetirementExpenses, solveRetirementPercentCovered, type RetirementInput } from './retirement.ts';
import * as schema from './retirement.schema.ts';

type Body = schema.RetirementRequest;

function inputOf(body: Body): RetirementInput {
  return {
    currentAge: body.current_age,
    retirementAge: body.retirement_age,
    deathAge: body.death_age,
    portfolioReturn: body.portfolio_return,
    inflationRate: body.inflation_rate,
    retirementTax: body.retirement_tax,
    retirementSavings: body.retirement_savings,
    retirementIncome: body.retirement_income,
    deposit: {
      amount: body.deposit_schedule.deposit_amount ?? 0,
      perYear: periodsPerYear(body.deposit_schedule.deposit_frequency_interval),
      adjustForInflation: body.deposit_schedule.adjust_deposit_for_inflation,
    },
    retirementExpenses: body.retirement_expenses ?? 0,
    percentOfExpensesCovered: body.percent_of_expenses_covered ?? 1,
  };
}

function respond(solved: Record<string, number>, outcome: GoalOutcome, body: Body) {
  const totals = scheduleTotals(outcome.schedule);
  return {
    ...solved,
    retirement_balance: cents(outcome.accumulationBalance),
    ...totals,
    ending_balance: cents(endingBalance(outcome)),
    inputs: body,
    schedule: scheduleInCents(outcome.schedule),
  };
}

const TAG = 'Financial Planning';

export function retirementRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/retirement_calculator/expenses',
    startingBalance: 'retirement_savings',
    operationId: 'retirementCalculatorExpenses',
    tag: TAG,
    summary: 'Retirement calculator: affordable expenses',
    description: "Solves for the largest yearly retirement expenses, in today's money, that savings and retirement income pay in the covered share until death_age.",
    body: schema.RetirementExpensesRequest,
    response: schema.RetirementExpensesResponse,
    solve: (body) => {
      const { expenses, outcome } = solveRetirementExpenses(inputOf(body));
      return respond({ retirement_expenses: cents(expenses) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/retirement_calculator/deposit_amount',
    startingBalance: 'retirement_savings',
    operationId: 'retirementCalculatorDepositAmount',
    tag: TAG,
    summary: 'Retirement calculator: deposit needed',
    description: 'Solves for the smallest deposit per deposit period until retirement that, with retirement income, pays the covered share of the expenses until death_age.',
    body: schema.RetirementDepositAmountRequest,
    response: schema.RetirementDepositAmountResponse,
    solve: (body) => {
      const { depositAmount, outcome } = solveRetirementDeposit(inputOf(body));
      return respond({ deposit_amount: cents(depositAmount) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/retirement_calculator/percent_covered',
    startingBalance: 'retirement_savings',
    operationId: 'retirementCalculatorPercentCovered',
    tag: TAG,
    summary: 'Retirement calculator: share of expenses covered',
    description: 'Solves for the share of the retirement expenses that savings, deposits and retirement income pay until death_age, at most 1.',
    body: schema.RetirementPercentCoveredRequest,
    response: schema.RetirementPercentCoveredResponse,
    solve: (body) => {
      const { percentCovered, outcome } = solveRetirementPercentCovered(inputOf(body));
      return respond({ percent_covered: ratio(percentCovered) }, outcome, body);
    },
  });
}
