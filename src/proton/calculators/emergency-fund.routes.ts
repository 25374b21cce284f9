import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { essentialExpenses } from './emergency-expenses.ts';
import { registerCalculator } from './calculator-route.ts';
import { planEmergencyFund } from './emergency-fund.ts';
import { EXPENSE_FIELDS, EmergencyFundRequest, EmergencyFundResponse } from './emergency-fund.schema.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents } from '../money.ts';

type Body = Static<typeof EmergencyFundRequest>;

/** The request with each expense it leaves at 0 taken from the client's transactions instead. */
async function withDerivedExpenses(reader: EntityReader, body: Body, clientId: string): Promise<Body> {
  const derived = await essentialExpenses(reader, clientId, body.frequency_unit, body.lookback_periods);
  const filled = { ...body };
  for (const field of EXPENSE_FIELDS) if (filled[field] === 0) filled[field] = cents(derived[field]);
  return filled;
}

export function emergencyFundRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/emergency_fund_calculator',
    startingBalance: 'current_emergency_fund_balance',
    operationId: 'emergencyFundCalculator',
    tag: 'Financial Health',
    summary: 'Emergency fund calculator',
    description: 'Sizes an emergency fund as a number of periods of essential expenses, and solves for the deposit per period that fills it over each horizon.',
    body: EmergencyFundRequest,
    response: EmergencyFundResponse,
    solve: async (stated, auth) => {
      const body = stated.client_id ? await withDerivedExpenses(EntityReader.asCaller(nucleus, auth), stated, stated.client_id) : stated;
      const expenses: Record<string, number> = { ...body.other_expenses };
      for (const field of EXPENSE_FIELDS) expenses[field] = body[field];
      const outcome = planEmergencyFund({
        expenses,
        periodsPerYear: periodsPerYear(body.frequency_unit),
        fundPeriods: body.emergency_fund_duration,
        currentBalance: body.current_emergency_fund_balance,
        interestRate: body.interest_rate,
        savingsHorizons: body.savings_horizon,
      });
      return {
        emergency_fund_target: cents(outcome.target),
        expenses_per_period: cents(outcome.expensesPerPeriod),
        current_balance: body.current_emergency_fund_balance,
        shortfall: cents(outcome.shortfall),
        savings_plan: outcome.plans.map((plan) => ({ horizon: plan.horizon, deposit_amount: plan.deposit === null ? null : cents(plan.deposit) })),
        inputs: body,
      };
    },
  });
}
