import type { FastifyInstance } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator, scheduleTotals } from './calculator-route.ts';
import { scheduleInCents } from './cash-flows.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents } from '../money.ts';
import { solvePurchaseAmount, solvePurchaseDeposit, solvePurchaseHorizon, type PurchaseInput, type PurchaseOutcome } from './purchase.ts';
import * as schema from './purchase.schema.ts';

type Body = schema.PurchaseRequest;

function inputOf(body: Body): PurchaseInput {
  return {
    portfolioReturn: body.portfolio_return,
    inflationRate: body.inflation_rate,
    investmentTax: body.investment_tax,
    currentSavings: body.current_savings,
    deposit: {
      amount: body.deposit_schedule.deposit_amount ?? 0,
      perYear: periodsPerYear(body.deposit_schedule.deposit_frequency_interval),
      adjustForInflation: body.deposit_schedule.adjust_deposit_for_inflation,
    },
    purchaseAmount: body.purchase_amount ?? 0,
    horizon: body.purchase_horizon ?? 0,
    horizonPerYear: periodsPerYear(body.horizon_frequency_interval ?? 'year'),
  };
}

function respond(solved: Record<string, number>, outcome: PurchaseOutcome, body: Body) {
  const totals = scheduleTotals(outcome.schedule);
  return {
    ...solved,
    balance_at_purchase: cents(outcome.balance),
    purchase_cost: cents(outcome.cost),
    purchase_tax: cents(outcome.tax),
    total_deposits: totals.total_deposits,
    total_earnings: totals.total_earnings,
    inputs: body,
    schedule: scheduleInCents(outcome.schedule),
  };
}

const TAG = 'Financial Planning';

export function purchaseRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/purchase_calculator/horizon',
    startingBalance: 'current_savings',
    operationId: 'purchaseCalculatorHorizon',
    tag: TAG,
    summary: 'Purchase calculator: time until affordable',
    description: 'Solves for the fewest whole years of saving after which the purchase, grown by inflation and with its tax, is affordable.',
    body: schema.PurchaseHorizonRequest,
    response: schema.PurchaseHorizonResponse,
    solve: (body) => {
      const { years, outcome } = solvePurchaseHorizon(inputOf(body));
      return respond({ purchase_horizon: years }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/purchase_calculator/deposit_amount',
    startingBalance: 'current_savings',
    operationId: 'purchaseCalculatorDepositAmount',
    tag: TAG,
    summary: 'Purchase calculator: deposit needed',
    description: 'Solves for the smallest deposit per deposit period that pays for the purchase, with its tax, at the horizon.',
    body: schema.PurchaseDepositAmountRequest,
    response: schema.PurchaseDepositAmountResponse,
    solve: (body) => {
      const { depositAmount, outcome } = solvePurchaseDeposit(inputOf(body));
      return respond({ deposit_amount: cents(depositAmount) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/purchase_calculator/amount',
    startingBalance: 'current_savings',
    operationId: 'purchaseCalculatorAmount',
    tag: TAG,
    summary: 'Purchase calculator: affordable price',
    description: "Solves for the largest price, in today's money, that the savings pay at the horizon after tax.",
    body: schema.PurchaseAmountRequest,
    response: schema.PurchaseAmountResponse,
    solve: (body) => {
      const { amount, outcome } = solvePurchaseAmount(inputOf(body));
      return respond({ purchase_amount: cents(amount) }, outcome, body);
    },
  });
}
