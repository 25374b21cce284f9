import { Type, type Static, type TSchema } from 'typebox';
import { SAVINGS_FREQUENCIES, defaultsOptional, periodCount, frequency, inflationRate, money, nucleusIds, portfolioReturn, taxRate } from '../request-fields.ts';
import { echo, moneyOut, schedule } from '../response-fields.ts';

const frequencyField = () => frequency(SAVINGS_FREQUENCIES, 'year', 'How often a deposit is made');
const adjustField = () => Type.Boolean({ default: true, description: 'Raise the deposit with inflation_rate on each anniversary' });
const DepositRule = Type.Object(
  { deposit_frequency_interval: frequencyField(), adjust_deposit_for_inflation: adjustField() },
  { additionalProperties: false, default: {}, title: 'PurchaseDepositRule' },
);
const DepositSchedule = Type.Object(
  {
    deposit_amount: money("Each deposit, at the end of its period; in today's money when adjusted for inflation", 0),
    deposit_frequency_interval: frequencyField(),
    adjust_deposit_for_inflation: adjustField(),
  },
  { additionalProperties: false, default: {}, title: 'PurchaseDepositSchedule' },
);

const HORIZON_FREQUENCIES = ['year', 'quarter', 'month', 'week'] as const;

const fields = {
  portfolio_return: portfolioReturn(),
  purchase_amount: money("Price of the purchase in today's money; it grows with inflation_rate until bought"),
  purchase_horizon: periodCount('Time until the purchase, in horizon_frequency_interval periods (at most 150 years)', 0, 52),
  horizon_frequency_interval: frequency(HORIZON_FREQUENCIES, 'year', 'The unit of purchase_horizon and of the schedule rows'),
  current_savings: money('Balance today', 0),
  investment_tax: taxRate('Tax on the money taken out to buy; the withdrawal is grossed up to cover it'),
  inflation_rate: inflationRate('Growth of the price and of inflation-adjusted deposits', 0),
  account_ids: nucleusIds('account'),
  aggregation_account_ids: nucleusIds('aggregation_account'),
};

const { purchase_horizon: _h, horizon_frequency_interval: _f, ...horizonFields } = fields;
export const PurchaseHorizonRequest = defaultsOptional(Type.Object({ ...horizonFields, deposit_schedule: DepositSchedule }, { additionalProperties: false }));
export const PurchaseDepositAmountRequest = defaultsOptional(Type.Object({ ...fields, deposit_schedule: DepositRule }, { additionalProperties: false }));
const { purchase_amount: _a, ...amountFields } = fields;
export const PurchaseAmountRequest = defaultsOptional(Type.Object({ ...amountFields, deposit_schedule: DepositSchedule }, { additionalProperties: false }));

export type PurchaseRequest = Omit<Static<typeof PurchaseDepositAmountRequest>, 'purchase_amount' | 'purchase_horizon' | 'horizon_frequency_interval' | 'deposit_schedule'> & {
  purchase_amount?: number;
  purchase_horizon?: number;
  horizon_frequency_interval?: (typeof HORIZON_FREQUENCIES)[number];
  deposit_schedule: { deposit_amount?: number; deposit_frequency_interval: (typeof SAVINGS_FREQUENCIES)[number]; adjust_deposit_for_inflation: boolean };
};

function response(solvedName: string, solved: TSchema, request: TSchema) {
  return Type.Object(
    {
      [solvedName]: solved,
      balance_at_purchase: moneyOut('Balance at the horizon, before the purchase'),
      purchase_cost: moneyOut('Price at the horizon, grown by inflation'),
      purchase_tax: moneyOut('Tax on taking the price out'),
      total_deposits: moneyOut('All deposits'),
      total_earnings: moneyOut('All investment earnings'),
      inputs: echo(request),
      schedule: schedule('One row per horizon period up to the purchase'),
    },
    { additionalProperties: false },
  );
}

export const PurchaseHorizonResponse = response('purchase_horizon', Type.Integer({ minimum: 0, description: 'Fewest whole years until the purchase is affordable' }), PurchaseHorizonRequest);
export const PurchaseDepositAmountResponse = response('deposit_amount', moneyOut("Smallest deposit per deposit period, in today's money when adjusted for inflation"), PurchaseDepositAmountRequest);
export const PurchaseAmountResponse = response('purchase_amount', moneyOut("Largest price, in today's money, affordable at the horizon after tax"), PurchaseAmountRequest);
