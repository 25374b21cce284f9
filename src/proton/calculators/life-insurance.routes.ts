import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator } from './calculator-route.ts';
import { scheduleInCents } from './cash-flows.ts';
import { lifeInsuranceNeeds } from './life-insurance.ts';
import { LifeInsuranceRequest, LifeInsuranceResponse } from './life-insurance.schema.ts';
import { cents } from '../money.ts';

type Body = Static<typeof LifeInsuranceRequest>;

export function lifeInsuranceRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/life_insurance/needs_calculator',
    operationId: 'lifeInsuranceNeedsCalculator',
    tag: 'Life Insurance',
    summary: 'Life insurance needs calculator',
    description:
      'Solves for the life cover that pays debts and final expenses at death, then replaced income, education and bequests year by year, ' +
      'from a fund earning interest_rate less tax; future needs are discounted at that after-tax rate.',
    body: LifeInsuranceRequest,
    response: LifeInsuranceResponse,
    solve: (body) => {
      const outcome = lifeInsuranceNeeds({
        interestRate: body.interest_rate,
        taxRate: body.tax_rate,
        generalInflationRate: body.general_inflation_rate,
        educationInflationRate: body.education_inflation_rate,
        marginOfError: body.margin_of_error,
        liquidAssets: body.liquid_assets,
        existingLifeInsurance: body.existing_life_insurance,
        mortgageBalance: body.mortgage_balance,
        otherDebt: body.other_debt,
        endOfLifeExpenses: body.end_of_life_expenses,
        roundingDigits: body.benefit_amount_rounding,
        incomes: (body.income_config ?? []).map((income) => ({
          annualNetTakeHomePay: income.annual_net_take_home_pay,
          years: income.income_benefit_duration,
          fractionCovered: income.percentage_of_income_covered,
        })),
        children: (body.children_education_config ?? []).map((child) => ({
          currentAge: child.current_age,
          education: child.education_config.map((stage) => ({
            totalAnnualCost: stage.total_annual_cost,
            startAge: stage.start_age,
            endAge: stage.end_age,
          })),
        })),
        bequests: (body.beneficiary_bequest_config ?? []).map((bequest) => ({
          amount: bequest.bequest_amount,
          years: bequest.bequest_duration,
          yearsUntil: bequest.years_until_bequest,
        })),
      });
      return {
        insurance_needed: cents(outcome.insuranceNeeded),
        total_need: cents(outcome.totalNeed),
        income_replacement: cents(outcome.incomeReplacement),
        education: cents(outcome.education),
        bequests: cents(outcome.bequests),
        debts: cents(outcome.debts),
        end_of_life_expenses: cents(outcome.endOfLifeExpenses),
        margin: cents(outcome.margin),
        inputs: body,
        schedule: scheduleInCents(outcome.schedule),
      };
    },
  });
}
