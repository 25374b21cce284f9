import { Type } from 'typebox';
import { SAVINGS_FREQUENCIES, createLog, defaultsOptional, frequency, wholeYears } from '../request-fields.ts';
import { echo, fractionOut, moneyOut } from '../response-fields.ts';
import { MARKET_DATA_SOURCE, USE_PROXY_DATA, nullableId, pathCount, removeOutliers, seed, seedOut } from './simulation-fields.ts';

const RateBand = Type.Object(
  {
    start_period: Type.Integer({ minimum: 1, default: 1, description: 'First period (of frequency_interval, counted from 1 across accumulation and payout) the band applies to' }),
    end_period: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { default: null, description: 'Last period the band applies to; null for the last period of the payout' }),
    min_rate: Type.Number({ minimum: -1, default: 0, description: "Lowest annual return credited, as a fraction; a period's floor is (1 + min_rate)^(1/P) − 1" }),
    max_rate: Type.Union([Type.Number({ minimum: -1 }), Type.Null()], { default: null, description: 'Highest annual return credited; null for no cap' }),
  },
  { additionalProperties: false, title: 'GuaranteedRateBenefit' },
);

const DepositSchedule = Type.Object(
  {
    deposit_amount: Type.Number({ minimum: 0, default: 0, description: 'Each deposit, at the end of its period, during accumulation' }),
    deposit_frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'How often the deposit is made'),
    adjust_deposit_for_inflation: Type.Boolean({ default: true, description: 'Raise the deposit with inflation_rate on each anniversary' }),
  },
  { additionalProperties: false, title: 'AnnuityDepositSchedule' },
);

export const VariableAnnuityRequest = defaultsOptional(
  Type.Object(
    {
      accumulation_horizon: wholeYears('Time before annuitization, during which deposits are made', 0),
      decumulation_horizon: wholeYears('Time during which the annuity pays', 1),
      frequency_interval: frequency(SAVINGS_FREQUENCIES, 'year', 'The length of one simulated period, and how often the annuity pays'),
      initial_balance: Type.Number({ minimum: 0, default: 0, description: 'Balance of the sub-account today' }),
      deposit_schedule: Type.Optional(DepositSchedule),
      inflation_rate: Type.Number({ minimum: -1, maximum: 20, default: 0, description: "Annual inflation, as a fraction: grows adjusted deposits, and deflates payments to today's money" }),
      tax_rate: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Tax on each payment, as a fraction' }),
      annuitization_rate: Type.Number({ minimum: -1, default: 0, description: 'Assumed annual interest rate of the payout: payments rise when the sub-account beats it and fall when it does not' }),
      guaranteed_rate_benefit: Type.Array(RateBand, {
        minItems: 1,
        default: [{ start_period: 1, end_period: null, min_rate: 0, max_rate: null }],
        description: 'Floors and caps on the credited return by period; where bands overlap, the highest floor and the lowest cap hold',
      }),
      guaranteed_accumulation_benefit: Type.Number({ minimum: 0, default: 0, description: 'Balance guaranteed at annuitization: a lower balance is raised to it' }),
      n: pathCount(),
      seed: seed(),
      result_type: Type.Union([Type.Literal('mean'), Type.Literal('median'), Type.Literal('custom')], {
        default: 'median',
        description: 'Statistic of each reported figure across paths: mean, median, or the p-th percentile (custom)',
      }),
      p: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'Percentile (0 to 100) reported when result_type is custom' }),
      remove_outliers: removeOutliers(false),
      portfolio_tickers: Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.Null()], { default: null, description: 'Securities of the sub-account, by ticker; their stored prices give its return and risk' }),
      portfolio_weights: Type.Union([Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 }), Type.Null()], { default: null, description: 'Weight of each ticker, summing to 1' }),
      allocation_id: nullableId('allocation'),
      model_id: nullableId('model'),
      portfolio_id: nullableId('portfolio'),
      account_id: nullableId('account'),
      aggregation_account_id: nullableId('aggregation account'),
      start_date: Type.Optional(Type.String({ format: 'date', description: 'First day of the price history used' })),
      end_date: Type.Optional(Type.String({ format: 'date', description: 'Last day of the price history used' })),
      trading_days_per_year: Type.Integer({ minimum: 1, default: 252, description: 'Periods a year when frequency_interval is day' }),
      market_data_source: MARKET_DATA_SOURCE,
      use_proxy_data: USE_PROXY_DATA,
      create_log: createLog(),
    },
    // No example: a request names securities with a price history, which conformance/proton-simulation.ts creates first.
    { additionalProperties: false },
  ),
);

const Row = Type.Object(
  {
    period: Type.Integer({ minimum: 0, description: 'Period of frequency_interval; 0 is today' }),
    phase: Type.Union([Type.Literal('accumulation'), Type.Literal('payout')], { description: 'Whether deposits or payments happen in the period' }),
    deposits: moneyOut('Deposits credited at the end of the period'),
    payment: moneyOut('Payment at the start of the period, after tax (the statistic across paths)'),
    balance: moneyOut('Balance at the end of the period (the statistic across paths)'),
  },
  { additionalProperties: false, title: 'VariableAnnuityRow' },
);

export const VariableAnnuityResponse = Type.Object(
  {
    statistic: Type.String({ description: 'The statistic every figure is, across the kept paths: mean, or the nth percentile (median is the 50th)' }),
    accumulation_balance: moneyOut('Balance at annuitization, after the accumulation benefit'),
    accumulation_benefit_probability: fractionOut('Share of the kept paths in which the guaranteed accumulation benefit raised the balance'),
    first_payment: moneyOut('First payment, after tax'),
    total_payments: moneyOut('All payments, after tax'),
    real_total_payments: moneyOut("All payments after tax, in today's money"),
    portfolio: Type.Object(
      {
        tickers: Type.Array(Type.String(), { description: 'Securities of the sub-account' }),
        weights: Type.Array(Type.Number(), { description: 'Their weights' }),
        period_return: fractionOut('Mean return of one period, from the price history'),
        period_risk: fractionOut('Standard deviation of the return of one period'),
      },
      { additionalProperties: false, description: 'The sub-account as simulated' },
    ),
    projection: Type.Array(Row, { description: 'Every period from today to the last payment' }),
    paths: Type.Integer({ minimum: 1, description: 'Number of simulated paths (n)' }),
    paths_kept: Type.Integer({ minimum: 1, description: 'Paths left after outlier removal (judged on the balance at annuitization)' }),
    seed: seedOut(),
    inputs: echo(VariableAnnuityRequest),
  },
  { additionalProperties: false },
);
