import { Type, type Static, type TSchema } from 'typebox';
import { SAVINGS_FREQUENCIES, defaultsOptional, fraction, frequency, inflationRate, money, nucleusIds, portfolioReturn, taxRate, wholeYears } from '../request-fields.ts';
import { echo, fractionOut, moneyOut, schedule } from '../response-fields.ts';

const frequencyField = () => frequency(SAVINGS_FREQUENCIES, 'year', 'How often a deposit is made');
const adjustField = () => Type.Boolean({ default: true, description: 'Raise the deposit with general_inflation_rate on each anniversary' });

const DepositRule = Type.Object(
  { deposit_frequency_interval: frequencyField(), adjust_deposit_for_inflation: adjustField() },
  { additionalProperties: false, default: {}, title: 'EducationDepositRule' },
);
const DepositSchedule = Type.Object(
  {
    deposit_amount: money("Each deposit, at the end of its period; in today's money when adjusted for inflation", 0),
    deposit_frequency_interval: frequencyField(),
    adjust_deposit_for_inflation: adjustField(),
  },
  { additionalProperties: false, default: {}, title: 'EducationDepositSchedule' },
);

const fields = {
  portfolio_return: portfolioReturn(),
  accumulation_horizon: wholeYears('Time until study starts, during which deposits are made', 0),
  decumulation_horizon: wholeYears('Years of study; each year\'s cost is paid at its start', 0),
  total_annual_cost: money("Cost of one year of study, in today's money"),
  percent_of_costs_covered: fraction('Share of each year\'s cost the savings pay', 1),
  initial_balance: money('Balance today', 0),
  education_inflation_rate: inflationRate('Growth of education costs', 0.05),
  general_inflation_rate: inflationRate('Growth of inflation-adjusted deposits', 0),
  tax_rate: taxRate('Tax on money taken out to pay costs; withdrawals are grossed up'),
  account_ids: nucleusIds('account'),
  aggregation_account_ids: nucleusIds('aggregation_account'),
};

export const EducationDepositAmountRequest = defaultsOptional(Type.Object({ ...fields, deposit_schedule: DepositRule }, { additionalProperties: false }));
const { percent_of_costs_covered: _covered, ...withoutPercent } = fields;
export const EducationPercentCoveredRequest = defaultsOptional(Type.Object({ ...withoutPercent, deposit_schedule: DepositSchedule }, { additionalProperties: false }));
const { total_annual_cost: _cost, ...withoutCost } = fields;
export const EducationAnnualCostRequest = defaultsOptional(Type.Object({ ...withoutCost, deposit_schedule: DepositSchedule }, { additionalProperties: false }));

export type EducationRequest = Omit<Static<typeof EducationPercentCoveredRequest>, 'total_annual_cost'> & {
  total_annual_cost?: number;
  percent_of_costs_covered?: number;
  deposit_schedule: { deposit_amount?: number; deposit_frequency_interval: (typeof SAVINGS_FREQUENCIES)[number]; adjust_deposit_for_inflation: boolean };
};

function response(solvedName: string, solved: TSchema, request: TSchema) {
  return Type.Object(
    {
      [solvedName]: solved,
      accumulation_balance: moneyOut('Balance when study starts'),
      total_deposits: moneyOut('All deposits'),
      total_costs_paid: moneyOut('All costs paid from the savings, after tax'),
      total_earnings: moneyOut('All investment earnings'),
      total_taxes: moneyOut('All tax on withdrawals'),
      ending_balance: moneyOut('Balance after the last year of study'),
      inputs: echo(request),
      schedule: schedule('One row per year: the saving years, then the years of study'),
    },
    { additionalProperties: false },
  );
}

export const EducationDepositAmountResponse = response('deposit_amount', moneyOut("Smallest deposit per deposit period, in today's money when adjusted for inflation"), EducationDepositAmountRequest);
export const EducationPercentCoveredResponse = response('percent_covered', fractionOut('Share of the costs the savings pay, at most 1'), EducationPercentCoveredRequest);
export const EducationAnnualCostResponse = response('annual_cost', moneyOut("Largest yearly cost, in today's money, of which the savings pay percent_of_costs_covered"), EducationAnnualCostRequest);
