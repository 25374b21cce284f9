import { Type, type TSchema } from 'typebox';
import { SAVINGS_FREQUENCIES, age, defaultsOptional, fraction, frequency, inflationRate, money, nucleusIds, portfolioReturn, taxRate } from '../request-fields.ts';
import { echo, fractionOut, moneyOut, schedule } from '../response-fields.ts';

const frequencyField = () => frequency(SAVINGS_FREQUENCIES, 'year', 'How often a deposit is made');
const adjustField = () => Type.Boolean({ default: true, description: 'Raise the deposit with inflation_rate on each anniversary' });
const DepositRule = Type.Object(
  { deposit_frequency_interval: frequencyField(), adjust_deposit_for_inflation: adjustField() },
  { additionalProperties: false, default: {}, title: 'RetirementDepositRule' },
);
const DepositSchedule = Type.Object(
  {
    deposit_amount: money("Each deposit until retirement, at the end of its period; in today's money when adjusted for inflation", 0),
    deposit_frequency_interval: frequencyField(),
    adjust_deposit_for_inflation: adjustField(),
  },
  { additionalProperties: false, default: {}, title: 'RetirementDepositSchedule' },
);


const fields = {
  current_age: age('Age today'),
  retirement_age: age('Age at retirement; someone older is treated as retired from today', { default: 65 }),
  death_age: age('Age until which retirement must be funded'),
  portfolio_return: portfolioReturn(),
  retirement_expenses: money("Yearly expenses in retirement, in today's money; each year's are paid at its start"),
  percent_of_expenses_covered: fraction('Share of the expenses that savings and retirement income must pay', 1),
  retirement_savings: money('Balance today', 0),
  retirement_income: money("Yearly income in retirement from elsewhere (a pension), in today's money; it reduces what the savings pay", 0),
  retirement_tax: taxRate('Tax on money taken out of the savings; withdrawals are grossed up'),
  inflation_rate: inflationRate('Growth of expenses, retirement income and inflation-adjusted deposits', 0),
  account_ids: nucleusIds('account'),
  aggregation_account_ids: nucleusIds('aggregation_account'),
};

const { retirement_expenses: _e, ...expenseFields } = fields;
export const RetirementExpensesRequest = defaultsOptional(Type.Object({ ...expenseFields, deposit_schedule: DepositSchedule }, { additionalProperties: false }));
export const RetirementDepositAmountRequest = defaultsOptional(Type.Object({ ...fields, deposit_schedule: DepositRule }, { additionalProperties: false }));
const { percent_of_expenses_covered: _p, ...percentFields } = fields;
export const RetirementPercentCoveredRequest = defaultsOptional(Type.Object({ ...percentFields, deposit_schedule: DepositSchedule }, { additionalProperties: false }));

export interface RetirementRequest {
  current_age: number;
  retirement_age: number;
  death_age: number;
  portfolio_return: number;
  retirement_expenses?: number;
  percent_of_expenses_covered?: number;
  retirement_savings: number;
  retirement_income: number;
  retirement_tax: number;
  inflation_rate: number;
  account_ids: string[] | null;
  aggregation_account_ids: string[] | null;
  deposit_schedule: { deposit_amount?: number; deposit_frequency_interval: (typeof SAVINGS_FREQUENCIES)[number]; adjust_deposit_for_inflation: boolean };
}

function response(solvedName: string, solved: TSchema, request: TSchema) {
  return Type.Object(
    {
      [solvedName]: solved,
      retirement_balance: moneyOut('Balance at retirement'),
      total_deposits: moneyOut('All deposits'),
      total_withdrawals: moneyOut('All money taken from the savings in retirement, after tax'),
      total_earnings: moneyOut('All investment earnings'),
      total_taxes: moneyOut('All tax on withdrawals'),
      ending_balance: moneyOut('Balance at death_age'),
      inputs: echo(request),
      schedule: schedule('One row per year of age: the working years, then the retirement years'),
    },
    { additionalProperties: false },
  );
}

export const RetirementExpensesResponse = response('retirement_expenses', moneyOut("Largest yearly expenses, in today's money, of which savings and income pay percent_of_expenses_covered"), RetirementExpensesRequest);
export const RetirementDepositAmountResponse = response('deposit_amount', moneyOut("Smallest deposit per deposit period, in today's money when adjusted for inflation"), RetirementDepositAmountRequest);
export const RetirementPercentCoveredResponse = response('percent_covered', fractionOut('Share of the expenses that savings and income pay, at most 1'), RetirementPercentCoveredRequest);
