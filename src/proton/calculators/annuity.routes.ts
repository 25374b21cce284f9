import type { FastifyInstance } from 'fastify';
import { goalAnswer } from './goal-calculator.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import {
  solveAccumulationHorizon,
  solveAnnuityAmount,
  solveAnnuityDeposit,
  solveAnnuityInitialBalance,
  solveDecumulationHorizon,
  type AnnuityInput,
} from './annuity.ts';
import * as schema from './annuity.schema.ts';
import { registerCalculator } from './calculator-route.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents } from '../money.ts';

type Body = schema.AnnuityRequest;

function inputOf(body: Body): AnnuityInput {
  return {
    portfolioReturn: body.portfolio_return,
    inflationRate: body.inflation_rate,
    taxRate: body.tax_rate,
    accumulationYears: body.accumulation_horizon ?? 0,
    decumulationYears: body.decumulation_horizon ?? 0,
    initialBalance: body.initial_balance,
    deposit: {
      amount: body.deposit_schedule.deposit_amount,
      perYear: periodsPerYear(body.deposit_schedule.deposit_frequency_interval),
      adjustForInflation: body.deposit_schedule.adjust_deposit_for_inflation,
    },
    annuity: { amount: body.annuity_amount, perYear: periodsPerYear(body.annuity_frequency_interval) },
  };
}

const respond = goalAnswer('total_payouts');

const TAG = 'Annuities';

export function annuityRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/annuity_calculator/decumulation_horizon',
    startingBalance: 'initial_balance',
    operationId: 'annuityCalculatorDecumulationHorizon',
    tag: TAG,
    summary: 'Annuity calculator: how long the annuity can be paid',
    description: 'Solves for the most whole years the annuity can be paid in full after the accumulation years; 0 when not even one.',
    body: schema.AnnuityDecumulationHorizonRequest,
    response: schema.AnnuityDecumulationHorizonResponse,
    solve: (body) => {
      const { decumulationYears, outcome } = solveDecumulationHorizon(inputOf({ ...body, decumulation_horizon: 0 }));
      return respond({ decumulation_horizon: decumulationYears }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/annuity_calculator/accumulation_horizon',
    startingBalance: 'initial_balance',
    operationId: 'annuityCalculatorAccumulationHorizon',
    tag: TAG,
    summary: 'Annuity calculator: how long to save',
    description: 'Solves for the fewest whole years of deposits after which the annuity can be paid for the whole payout period.',
    body: schema.AnnuityAccumulationHorizonRequest,
    response: schema.AnnuityAccumulationHorizonResponse,
    solve: (body) => {
      const { accumulationYears, outcome } = solveAccumulationHorizon(inputOf(body));
      return respond({ accumulation_horizon: accumulationYears }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/annuity_calculator/initial_balance',
    operationId: 'annuityCalculatorInitialBalance',
    tag: TAG,
    summary: 'Annuity calculator: balance needed today',
    description: 'Solves for the smallest balance today that, with the deposits, pays the annuity for the whole payout period.',
    body: schema.AnnuityInitialBalanceRequest,
    response: schema.AnnuityInitialBalanceResponse,
    solve: (body) => {
      const { initialBalance, outcome } = solveAnnuityInitialBalance(inputOf(body));
      return respond({ initial_balance: cents(initialBalance) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/annuity_calculator/deposit_amount',
    startingBalance: 'initial_balance',
    operationId: 'annuityCalculatorDepositAmount',
    tag: TAG,
    summary: 'Annuity calculator: deposit needed',
    description: 'Solves for the smallest deposit per deposit period that pays the annuity for the whole payout period.',
    body: schema.AnnuityDepositAmountRequest,
    response: schema.AnnuityDepositAmountResponse,
    solve: (body) => {
      const { depositAmount, outcome } = solveAnnuityDeposit(inputOf(body));
      return respond({ deposit_amount: cents(depositAmount) }, outcome, body);
    },
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/annuity_calculator/annuity_amount',
    startingBalance: 'initial_balance',
    operationId: 'annuityCalculatorAnnuityAmount',
    tag: TAG,
    summary: 'Annuity calculator: affordable payout',
    description: 'Solves for the largest payout per payout period that the balance and deposits sustain for the whole payout period.',
    body: schema.AnnuityAmountRequest,
    response: schema.AnnuityAmountResponse,
    solve: (body) => {
      const { annuityAmount, outcome } = solveAnnuityAmount(inputOf(body));
      return respond({ annuity_amount: cents(annuityAmount) }, outcome, body);
    },
  });
}
