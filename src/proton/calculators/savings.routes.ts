import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator, scheduleTotals } from './calculator-route.ts';
import { scheduleInCents } from './cash-flows.ts';
import { periodsPerYear } from '../frequency.ts';
import { cents } from '../money.ts';
import { projectSavings } from './savings.ts';
import { SavingsRequest, SavingsResponse } from './savings.schema.ts';

type Body = Static<typeof SavingsRequest>;

export function savingsRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/savings_calculator',
    startingBalance: 'initial_balance',
    operationId: 'savingsCalculator',
    tag: 'Financial Planning',
    summary: 'Savings calculator: balance over time',
    description: 'Projects a savings balance over the horizon with recurring deposits, a return per period and tax on earnings.',
    body: SavingsRequest,
    response: SavingsResponse,
    solve: (body) => {
      const outcome = projectSavings({
        horizon: body.horizon,
        horizonPerYear: periodsPerYear(body.horizon_frequency_interval),
        returns: body.return_schedule,
        inflationRate: body.inflation_rate,
        taxRate: body.tax_rate,
        initialBalance: body.initial_balance,
        deposits: body.deposit_schedule.map((deposit) => ({
          amount: deposit.deposit_amount,
          perYear: periodsPerYear(deposit.deposit_frequency_interval),
          duration: deposit.deposit_duration,
          adjustForInflation: deposit.adjust_deposit_for_inflation,
        })),
      });
      const totals = scheduleTotals(outcome.schedule);
      return {
        ending_balance: cents(outcome.endingBalance),
        real_ending_balance: cents(outcome.realEndingBalance),
        total_deposits: totals.total_deposits,
        total_earnings: totals.total_earnings,
        total_taxes: totals.total_taxes,
        inputs: body,
        schedule: scheduleInCents(outcome.schedule),
      };
    },
  });
}
