import { Type, type Static, type TSchema } from 'typebox';
import {
  SAVINGS_FREQUENCIES,
  createLog,
  defaultsOptional,
  frequency,
  inflationRate,
  money,
  nucleusIds,
  portfolioReturn,
  solvedFor,
  taxRate,
  wholeYears,
} from '../request-fields.ts';
import { echo, moneyOut, schedule } from '../response-fields.ts';

const DepositSchedule = Type.Object(
  {
    deposit_amount: money('Each deposit, paid at the end of its period; in today\'s money when adjusted for inflation', 0),
    deposit_frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'How often a deposit is made'),
    adjust_deposit_for_inflation: Type.Boolean({ default: true, description: 'Raise the deposit with inflation_rate on each anniversary' }),
  },
  { additionalProperties: false, default: {}, title: 'AnnuityDepositSchedule' },
);

const fields = {
  portfolio_return: portfolioReturn(),
  accumulation_horizon: wholeYears('Time during which deposits are made, before payouts start', 0),
  decumulation_horizon: wholeYears('Time during which the annuity is paid out', 1),
  annuity_amount: money("Each payout received after tax, at the start of its period, in today's money (it grows with inflation_rate)"),
  annuity_frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'How often the annuity is paid'),
  initial_balance: money('Balance today', 0),
  deposit_schedule: DepositSchedule,
  inflation_rate: inflationRate('Inflation of payouts and of inflation-adjusted deposits', 0),
  tax_rate: taxRate('Tax on payouts; payouts are grossed up so the owner receives annuity_amount'),
  account_ids: nucleusIds('account'),
  aggregation_account_ids: nucleusIds('aggregation_account'),
  create_log: createLog(),
};

export const AnnuityDecumulationHorizonRequest = defaultsOptional(
  Type.Object({ ...fields, decumulation_horizon: Type.Optional(solvedFor(fields.decumulation_horizon)) }, { additionalProperties: false }),
);
export const AnnuityAccumulationHorizonRequest = defaultsOptional(
  Type.Object({ ...fields, accumulation_horizon: Type.Optional(solvedFor(fields.accumulation_horizon)) }, { additionalProperties: false }),
);
export const AnnuityInitialBalanceRequest = defaultsOptional(
  Type.Object(
    {
      ...fields,
      initial_balance: solvedFor(fields.initial_balance),
      account_ids: nucleusIds('account', { balanceSolvedFor: true }),
      aggregation_account_ids: nucleusIds('aggregation_account', { balanceSolvedFor: true }),
    },
    { additionalProperties: false },
  ),
);
export const AnnuityDepositAmountRequest = defaultsOptional(Type.Object(fields, { additionalProperties: false }));
export const AnnuityAmountRequest = defaultsOptional(
  Type.Object({ ...fields, annuity_amount: solvedFor(money('Each payout', 1)) }, { additionalProperties: false }),
);

/** Every annuity request after defaults, with the solved-for field possibly absent. */
export type AnnuityRequest = Omit<Static<typeof AnnuityDepositAmountRequest>, 'accumulation_horizon' | 'decumulation_horizon'> & {
  accumulation_horizon?: number;
  decumulation_horizon?: number;
};

function response(solvedName: string, solved: TSchema, inputs: TSchema) {
  return Type.Object(
    {
      [solvedName]: solved,
      accumulation_balance: moneyOut('Balance when payouts start'),
      total_deposits: moneyOut('All deposits'),
      total_payouts: moneyOut('All payouts received, after tax'),
      total_earnings: moneyOut('All investment earnings'),
      total_taxes: moneyOut('All tax on payouts'),
      ending_balance: moneyOut('Balance after the last payout'),
      inputs: echo(inputs),
      schedule: schedule('One row per year: the accumulation years, then the payout years'),
    },
    { additionalProperties: false },
  );
}

export const AnnuityDecumulationHorizonResponse = response(
  'decumulation_horizon',
  Type.Integer({ minimum: 0, description: 'Most whole years the annuity can be paid in full (capped at 150)' }),
  AnnuityDecumulationHorizonRequest,
);
export const AnnuityAccumulationHorizonResponse = response(
  'accumulation_horizon',
  Type.Integer({ minimum: 0, description: 'Fewest whole years of deposits after which the annuity is paid in full' }),
  AnnuityAccumulationHorizonRequest,
);
export const AnnuityInitialBalanceResponse = response('initial_balance', moneyOut('Smallest balance today that pays the annuity'), AnnuityInitialBalanceRequest);
export const AnnuityDepositAmountResponse = response('deposit_amount', moneyOut("Smallest deposit per deposit period, in today's money when adjusted for inflation"), AnnuityDepositAmountRequest);
export const AnnuityAmountResponse = response('annuity_amount', moneyOut("Largest payout per payout period, after tax, in today's money"), AnnuityAmountRequest);
