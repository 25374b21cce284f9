import type { FastifyInstance } from 'fastify';
import { goalAnswer } from './goal-calculator.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator } from './calculator-route.ts';
import { solveEducationAnnualCost, solveEducationDeposit, solveEducationPercentCovered, type EducationInput } from './education.ts';
import * as schema from './education.schema.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents, ratio } from '../money.ts';

type Body = schema.EducationRequest;

function inputOf(body: Body): EducationInput {
  return {
    portfolioReturn: body.portfolio_return,
    educationInflationRate: body.education_inflation_rate,
    generalInflationRate: body.general_inflation_rate,
    taxRate: body.tax_rate,
    accumulationYears: body.accumulation_horizon,
    decumulationYears: body.decumulation_horizon,
    initialBalance: body.initial_balance,
    deposit: {
      amount: body.deposit_schedule.deposit_amount ?? 0,
      perYear: periodsPerYear(body.deposit_schedule.deposit_frequency_interval),
      adjustForInflation: body.deposit_schedule.adjust_deposit_for_inflation,
    },
    totalAnnualCost: body.total_annual_cost ?? 0,
    percentOfCostsCovered: body.percent_of_costs_covered ?? 1,
  };
}

const respond = goalAnswer('total_costs_paid');

const TAG = 'Financial Planning';

export function educationRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/education_calculator/deposit_amount',
    startingBalance: 'initial_balance',
    operationId: 'educationCalculatorDepositAmount',
    tag: TAG,
    summary: 'Education calculator: deposit needed',
    description: 'Solves for the smallest deposit per deposit period that pays the covered share of every year of study.',
    body: schema.EducationDepositAmountRequest,
    response: schema.EducationDepositAmountResponse,
    solve: (body) => {
      const { depositAmount, outcome } = solveEducationDeposit(inputOf(body));
      return respond({ deposit_amount: cents(depositAmount) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/education_calculator/percent_covered',
    startingBalance: 'initial_balance',
    operationId: 'educationCalculatorPercentCovered',
    tag: TAG,
    summary: 'Education calculator: share of costs covered',
    description: 'Solves for the share of every year of study that the savings and deposits pay, at most 1.',
    body: schema.EducationPercentCoveredRequest,
    response: schema.EducationPercentCoveredResponse,
    solve: (body) => {
      const { percentCovered, outcome } = solveEducationPercentCovered(inputOf(body));
      return respond({ percent_covered: ratio(percentCovered) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/education_calculator/annual_cost',
    startingBalance: 'initial_balance',
    operationId: 'educationCalculatorAnnualCost',
    tag: TAG,
    summary: 'Education calculator: affordable yearly cost',
    description: 'Solves for the largest yearly cost of study, in today\'s money, of which the savings pay the covered share.',
    body: schema.EducationAnnualCostRequest,
    response: schema.EducationAnnualCostResponse,
    solve: (body) => {
      const { annualCost, outcome } = solveEducationAnnualCost(inputOf(body));
      return respond({ annual_cost: cents(annualCost) }, outcome, body);
    },
  });
}
