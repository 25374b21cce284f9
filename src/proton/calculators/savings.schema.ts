import { Type } from 'typebox';
import { SAVINGS_FREQUENCIES, createLog, defaultsOptional, periodCount, frequency, inflationRate, money, nucleusIds, taxRate } from '../request-fields.ts';
import { echo, moneyOut, schedule } from '../response-fields.ts';

const Deposit = Type.Object(
  {
    deposit_amount: money("Each deposit, at the end of its period; in today's money when adjusted for inflation", 0),
    deposit_frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'How often the deposit is made'),
    deposit_duration: Type.Union([Type.Integer({ minimum: 1, maximum: 150 * 365 }), Type.Null()], {
      default: null,
      description: 'Horizon periods during which the deposit is made; null for the whole horizon',
    }),
    adjust_deposit_for_inflation: Type.Boolean({ default: true, description: 'Raise the deposit with inflation_rate on each anniversary' }),
  },
  { additionalProperties: false, title: 'SavingsDeposit' },
);

export const SavingsRequest = defaultsOptional(
  Type.Object(
    {
      horizon: periodCount('Length of the projection, in horizon_frequency_interval periods (at most 150 years)', 0, 365),
      horizon_frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'The unit of horizon and of the schedule rows'),
      return_schedule: Type.Array(Type.Number({ exclusiveMinimum: -1 }), {
        minItems: 1,
        description: 'Annual return, as a fraction, for each horizon period in turn; the last one holds for the periods after it',
      }),
      initial_balance: money('Balance today', 0),
      deposit_schedule: Type.Array(Deposit, {
        minItems: 1,
        default: [{ deposit_amount: 0, deposit_frequency_interval: 'year', adjust_deposit_for_inflation: true }],
        description: 'Recurring deposits, made side by side',
      }),
      inflation_rate: inflationRate('Growth of inflation-adjusted deposits; also deflates the ending balance', 0),
      tax_rate: taxRate("Tax on each horizon period's positive earnings"),
      account_ids: nucleusIds('account'),
      aggregation_account_ids: nucleusIds('aggregation_account'),
      create_log: createLog(),
    },
    { additionalProperties: false },
  ),
);

export const SavingsResponse = Type.Object(
  {
    ending_balance: moneyOut('Balance at the end of the horizon'),
    real_ending_balance: moneyOut("Balance at the end of the horizon in today's money"),
    total_deposits: moneyOut('All deposits'),
    total_earnings: moneyOut('All investment earnings, before tax'),
    total_taxes: moneyOut('All tax on earnings'),
    inputs: echo(SavingsRequest),
    schedule: schedule('One row per horizon period'),
  },
  { additionalProperties: false },
);
