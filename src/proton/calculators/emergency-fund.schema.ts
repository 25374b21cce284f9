import { Type } from 'typebox';
import { annualRate, defaultsOptional, frequency, money, nucleusIds, periodCount } from '../request-fields.ts';
import { echo, moneyOut } from '../response-fields.ts';

export const EXPENSE_FIELDS = [
  'housing_cost',
  'utility_payments',
  'telecom_payments',
  'food_costs',
  'transportation_costs',
  'insurance_payments',
  'debt_payments',
] as const;

const expense = (what: string) => money(`${what}, per frequency_unit; left at 0 with a client_id, it is derived from the client's transactions`, 0);

export const EmergencyFundRequest = defaultsOptional(
  Type.Object(
    {
      emergency_fund_duration: periodCount('Periods of expenses (in frequency_unit) the fund must cover', 1, 52),
      frequency_unit: frequency(['year', 'six_months', 'quarter', 'month', 'two_weeks', 'week'] as const, 'month', 'The period of the expenses, the duration and the horizons'),
      housing_cost: expense('Rent or mortgage'),
      utility_payments: expense('Utilities'),
      telecom_payments: expense('Phone and internet'),
      food_costs: expense('Food'),
      transportation_costs: expense('Transport'),
      insurance_payments: expense('Insurance premiums'),
      debt_payments: expense('Debt payments'),
      other_expenses: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
        default: {},
        description: 'Further essential expenses by name, per frequency_unit',
      }),
      current_emergency_fund_balance: money('Balance of the fund today', 0),
      interest_rate: annualRate('Interest the fund earns', { minimum: 0 }, 0),
      savings_horizon: Type.Array(periodCount('Periods', 0, 52), {
        maxItems: 100,
        default: [3, 6, 9, 12, 15, 18, 21, 24],
        description: 'Horizons, in frequency_unit periods, over which to build the fund',
      }),
      lookback_periods: Type.Integer({
        minimum: 1,
        maximum: 520,
        default: 3,
        description: 'With a client_id: how many frequency_unit periods, ending now, of transactions the derived expenses average over',
      }),
      client_id: Type.Optional(
        Type.String({
          format: 'uuid',
          description:
            "A Nucleus client (404 when the caller cannot read it). Each expense left at 0 is derived from the debits of the client's aggregation accounts " +
            'in the matching transaction categories (see docs/proton-calculators.md), averaged over lookback_periods; transfers and transactions excluded from analysis are left out',
        }),
      ),
      account_ids: nucleusIds('account'),
      aggregation_account_ids: nucleusIds('aggregation_account'),
    },
    { additionalProperties: false },
  ),
);

export const EmergencyFundResponse = Type.Object(
  {
    emergency_fund_target: moneyOut('Expenses per period times emergency_fund_duration'),
    expenses_per_period: moneyOut('All essential expenses per frequency_unit'),
    current_balance: moneyOut('Balance of the fund today'),
    shortfall: moneyOut('What the fund lacks today; 0 when it is full'),
    savings_plan: Type.Array(
      Type.Object(
        {
          horizon: Type.Integer({ minimum: 0, description: 'Periods, in frequency_unit' }),
          deposit_amount: Type.Union([moneyOut('Deposit at the end of each period that fills the fund by the horizon'), Type.Null()], {
            description: 'Null when no deposit can (a horizon of 0 with a shortfall)',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    inputs: echo(EmergencyFundRequest),
  },
  { additionalProperties: false },
);
