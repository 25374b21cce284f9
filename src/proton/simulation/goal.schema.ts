import { Type, type TProperties } from 'typebox';
import { createLog, defaultsOptional, frequency } from '../request-fields.ts';
import { echo, fractionOut, moneyOut } from '../response-fields.ts';
import { PERIODS_PER_YEAR, type Frequency } from '../frequency.ts';
import { MARKET_DATA_SOURCE, USE_PROXY_DATA, pathCount, removeOutliers, seed, seedOut } from './simulation-fields.ts';

const FREQUENCIES = Object.keys(PERIODS_PER_YEAR) as Frequency[];
const HORIZON_MAX = 350;
/** Offsets from a reference point, in horizon periods: at most 350 years of days either way. */
const OFFSET = { minimum: -HORIZON_MAX * 365, maximum: HORIZON_MAX * 365 };

function references<const V extends readonly string[]>(values: V, defaultValue: V[number], description: string) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], default: defaultValue, description });
}

function depositConfig<const V extends readonly string[]>(refs: V, title: string) {
  return Type.Object(
    {
      dep_start_reference: references(refs, 'a_start', 'Point the deposits start from: a_start today, a_end the end of accumulation, d_end the end of decumulation'),
      dep_start_period: Type.Integer({ ...OFFSET, default: 0, description: 'Horizon periods after (or, negative, before) dep_start_reference at which the deposits start' }),
      dep_end_reference: references(refs, 'a_end', 'Point the deposits end at'),
      dep_end_period: Type.Integer({ ...OFFSET, default: 0, description: 'Horizon periods after (or before) dep_end_reference at which the deposits end' }),
      dep_amount: Type.Number({ minimum: 0, default: 0, description: "Each deposit, in today's money, made at the end of each of its periods" }),
      dep_frequency: frequency(FREQUENCIES, 'year', 'How often the deposit is made'),
      dep_inflation: Type.Number({ minimum: -1, default: 0, description: 'Yearly growth of the deposit, as a fraction, stepped on each anniversary from today' }),
    },
    { additionalProperties: false, title },
  );
}

const DEFAULT_DEPOSIT = { dep_start_reference: 'a_start', dep_start_period: 0, dep_end_reference: 'a_end', dep_end_period: 0, dep_amount: 0, dep_frequency: 'year', dep_inflation: 0 };

function deposits<const V extends readonly string[]>(refs: V, title: string) {
  return Type.Array(depositConfig(refs, title), { minItems: 1, default: [DEFAULT_DEPOSIT], description: 'Recurring deposits, side by side' });
}

const WithdrawalConfig = Type.Object(
  {
    with_amount: Type.Number({ minimum: 0, description: "Each withdrawal the owner receives, after withdrawal_tax, in today's money, taken at the start of each of its periods" }),
    with_frequency: frequency(FREQUENCIES, 'year', 'How often the withdrawal is taken'),
    with_start_reference: references(['a_end', 'd_end'] as const, 'a_end', 'Point the withdrawals start from: a_end the end of accumulation, d_end the end of decumulation'),
    with_start_period: Type.Integer({ ...OFFSET, default: 0, description: 'Horizon periods after (or before) with_start_reference at which the withdrawals start' }),
    with_end_reference: references(['a_end', 'd_end'] as const, 'd_end', 'Point the withdrawals end at (the last one is taken before it)'),
    with_end_period: Type.Integer({ ...OFFSET, default: 0, description: 'Horizon periods after (or before) with_end_reference at which the withdrawals end' }),
    with_inflation: Type.Number({ minimum: -1, default: 0, description: 'Yearly growth of the withdrawal, stepped on each anniversary from today' }),
  },
  { additionalProperties: false, title: 'GoalWithdrawalConfig' },
);

function recommendationConfig(withSwitch: boolean) {
  return Type.Object(
    {
      ...(withSwitch ? { recommend: Type.Boolean({ default: true, description: 'Also search for the change of recommend_type that reaches conf_tgt' }) } : {}),
      inv_min: Type.Number({ minimum: 0, default: 0, description: 'Smallest one-time investment to recommend' }),
      inv_max: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { default: null, description: 'Largest one-time investment to recommend; null for no bound' }),
      dep_min: Type.Number({ minimum: 0, default: 0, description: 'Smallest recurring deposit to recommend' }),
      dep_max: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { default: null, description: 'Largest recurring deposit to recommend; null for no bound' }),
      horizon_min: Type.Integer({ minimum: 0, maximum: HORIZON_MAX, default: 1, description: 'Shortest accumulation horizon to recommend, in horizon periods' }),
      horizon_max: Type.Integer({ minimum: 0, maximum: HORIZON_MAX, default: 64, description: 'Longest accumulation horizon to recommend, in horizon periods' }),
      recommended_inflation: Type.Number({ minimum: -1, default: 0, description: 'Yearly growth of a recommended recurring deposit' }),
    },
    { additionalProperties: false, default: {}, title: withSwitch ? 'RecommendationConfig' : 'RecommendationConfig1' },
  );
}

const WConfig = Type.Object(
  {
    w_min_major: Type.Number({ minimum: 0, maximum: 1, description: 'Smallest weight of a major security' }),
    w_max_major: Type.Number({ minimum: 0, maximum: 1, description: 'Largest weight of a major security' }),
    w_min_minor: Type.Number({ minimum: 0, maximum: 1, description: 'Smallest weight of a minor security' }),
    w_max_minor: Type.Number({ minimum: 0, maximum: 1, description: 'Largest weight of a minor security' }),
    cash_amount: Type.Number({ minimum: 0, maximum: 1, description: 'Weight of each cash security' }),
  },
  { additionalProperties: false, title: 'WConfig' },
);

const OptConfig = Type.Object(
  {
    tickers: Type.Array(Type.String(), { minItems: 1, description: 'Securities a created allocation may hold' }),
    min_assets: Type.Integer({ minimum: 1, description: 'Fewest securities a created allocation holds' }),
    w_config: WConfig,
    w_asset_config: Type.Record(Type.String(), Type.Number(), { default: {}, description: 'Weight bounds by asset class' }),
    sec_types: Type.Array(Type.Union([Type.Literal('major'), Type.Literal('minor'), Type.Literal('cash')]), { minItems: 1, description: 'The type of each ticker, in order' }),
    start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'First day of the price history used' }),
    end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'Last day of the price history used' }),
  },
  { additionalProperties: false, title: 'OptConfig' },
);

function common(withSwitch: boolean, kind: 'accumulation' | 'decumulation'): TProperties {
  return {
    curr_inv: Type.Optional(Type.Number({ minimum: 0, description: 'Amount invested toward the goal today; 0 when left out' })),
    deposit_config: kind === 'accumulation' ? deposits(['a_start', 'a_end'] as const, 'AccumulationGoalDepositConfig') : deposits(['a_start', 'a_end', 'd_end'] as const, 'DecumulationGoalDepositConfig'),
    horizon_frequency: frequency(FREQUENCIES, 'year', 'The length of one horizon period: the unit of the horizons and of the simulation steps'),
    conf_tgt: Type.Number({ minimum: 0, maximum: 1, default: 0.9, description: 'Share of simulated paths that must succeed for the goal to be on track' }),
    thresh_type: Type.Union([Type.Literal('amnt'), Type.Literal('perc')], { default: 'perc', description: 'Whether thresh is an amount or a fraction (0.05 = 5%) of the target' }),
    thresh: Type.Number({ minimum: 0, default: 0, description: 'How far short of the target a path may end and still succeed' }),
    withdrawal_tax: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Tax on withdrawals, as a fraction: each is grossed up so the owner receives its amount' }),
    adjust_for_compounding: Type.Boolean({ default: false, description: 'Carry each payment that falls inside a horizon period to the edge it is booked at with compounding_rate' }),
    compounding_rate: Type.Number({ minimum: -1, default: 0, description: 'Annual rate used by adjust_for_compounding' }),
    recommend_type: Type.Union([Type.Literal('recurring'), Type.Literal('one-time'), Type.Literal('combo'), Type.Literal('horizon')], {
      default: 'horizon',
      description: 'What a recommendation changes: a recurring deposit, a one-time investment, both, or the accumulation horizon',
    }),
    recommendation_config: recommendationConfig(withSwitch),
    trading_days_per_year: Type.Integer({ minimum: 1, maximum: 365, default: 252, description: 'Days a year over which the annual return accrues when horizon_frequency is day' }),
    n: pathCount(),
    seed: seed(),
    remove_outliers: removeOutliers(true),
    goal_id: Type.Optional(Type.String({ format: 'uuid', description: "A Nucleus goal; its goal_amount and horizons (in years) fill what the request leaves out. Read with the caller's rights" })),
    client_id: Type.Optional(Type.String({ format: 'uuid', description: "The Nucleus client the goal is for; must be readable by the caller" })),
    create_log: createLog(),
    ...(kind === 'accumulation'
      ? {
          goal_config: Type.Optional(
            Type.Object(
              {
                goal_amount: Type.Optional(Type.Number({ minimum: 0, description: "The amount to reach, in today's money" })),
                goal_inflation: Type.Number({ minimum: -1, default: 0, description: 'Yearly growth of the goal amount until the end of the horizon' }),
              },
              { additionalProperties: false, title: 'GoalConfig' },
            ),
          ),
          horizon: Type.Union([Type.Integer({ minimum: 0, maximum: HORIZON_MAX }), Type.Null()], { default: null, description: "Accumulation horizon, in horizon periods; null for the goal's accumulation_horizon" }),
        }
      : {
          a_horizon: Type.Union([Type.Integer({ minimum: 0, maximum: HORIZON_MAX }), Type.Null()], { default: null, description: "Accumulation horizon, in horizon periods; null for the goal's accumulation_horizon" }),
          d_horizon: Type.Union([Type.Integer({ minimum: 0, maximum: HORIZON_MAX }), Type.Null()], { default: null, description: "Decumulation horizon, in horizon periods; null for the goal's decumulation_horizon" }),
          withdrawal_config: Type.Array(WithdrawalConfig, { minItems: 1, description: 'Recurring withdrawals, side by side' }),
        }),
  };
}

const RETURNS = {
  p_ret: Type.Array(Type.Number({ minimum: -1 }), { description: 'Annual mean return of the portfolio, as a fraction; L values cover the horizon in L equal runs' }),
  p_risk: Type.Array(Type.Number({ minimum: 0 }), { description: 'Annual standard deviation of the return; stretched over the horizon like p_ret' }),
};

const ALLOCATION = {
  allocation_method: Type.Union([Type.Literal('select'), Type.Literal('create')], { description: 'select: choose among the allocations given; create: choose among the points of the efficient frontier of the opt_config tickers' }),
  allocation_priority: Type.Union([Type.Literal('goal'), Type.Literal('risk')], {
    description: 'goal: the least volatile allocation that reaches conf_tgt; risk: the allocation with the best goal probability among those whose volatility fits risk_score',
  }),
  allocations: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, description: "Nucleus allocations to choose among (required by select), read with the caller's rights; each needs performance (annual return) and volatility (annual deviation), as fractions" })),
  risk_score: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'Risk appetite, 0 to 100: with priority risk, the highest volatility allowed is that of the allocation at this percentile of the volatilities' }),
  opt_config: Type.Optional(OptConfig),
  market_data_source: MARKET_DATA_SOURCE,
  use_proxy_data: USE_PROXY_DATA,
};

export const ACCUMULATION_EXAMPLE = { curr_inv: 10000, horizon: 10, goal_config: { goal_amount: 25000 }, deposit_config: [{ dep_amount: 500 }], recommend_type: 'recurring', n: 500, seed: 7 };
export const DECUMULATION_EXAMPLE = { curr_inv: 200000, a_horizon: 5, d_horizon: 20, withdrawal_config: [{ with_amount: 15000 }], recommend_type: 'one-time', n: 500, seed: 7 };

function request(kind: 'accumulation' | 'decumulation', withSwitch: boolean, extra: TProperties, example?: object) {
  return defaultsOptional(Type.Object({ ...common(withSwitch, kind), ...extra }, { additionalProperties: false, ...(example ? { examples: [example] } : {}) }));
}

const STATED = { p_ret: [0.06], p_risk: [0.12] };

export const AccumulationStatusRequest = request('accumulation', true, RETURNS, { ...ACCUMULATION_EXAMPLE, ...STATED });
export const AccumulationRecommendationRequest = request('accumulation', false, RETURNS, { ...ACCUMULATION_EXAMPLE, ...STATED });
export const DecumulationStatusRequest = request('decumulation', true, RETURNS, { ...DECUMULATION_EXAMPLE, ...STATED });
export const DecumulationRecommendationRequest = request('decumulation', false, RETURNS, { ...DECUMULATION_EXAMPLE, ...STATED });
// Allocation requests name live allocation records, so their conformance requests are built (conformance/proton-simulation.ts).
export const AccumulationAllocationRequest = request('accumulation', true, ALLOCATION);
export const DecumulationAllocationRequest = request('decumulation', true, ALLOCATION);

const ProjectionRow = Type.Object(
  {
    period: Type.Integer({ minimum: 0, description: 'Horizon period; 0 is today' }),
    deposits: moneyOut('Deposits credited at the end of the period'),
    withdrawals: moneyOut('Withdrawals taken at the start of the period, gross of tax'),
    balance_p10: moneyOut('10th percentile of the balance at the end of the period'),
    balance_p50: moneyOut('Median balance at the end of the period'),
    balance_p90: moneyOut('90th percentile of the balance at the end of the period'),
  },
  { additionalProperties: false, title: 'GoalProjectionRow' },
);

export const GoalStatus = Type.Object(
  {
    on_track: Type.Boolean({ description: 'Whether goal_probability reaches conf_tgt' }),
    goal_probability: fractionOut('Share of the kept paths that succeed: that reach the goal (accumulation) or pay every withdrawal (decumulation), within thresh'),
    goal_achievement_score: Type.Integer({ minimum: 0, maximum: 100, description: 'goal_probability ÷ conf_tgt as a whole percentage, at most 100' }),
    target_amount: moneyOut('Accumulation: the goal amount grown by goal_inflation to the end of the horizon. Decumulation: all withdrawals asked for, after tax'),
    accumulation_horizon: Type.Integer({ minimum: 0, description: 'Accumulation horizon used, in horizon periods' }),
    decumulation_horizon: Type.Integer({ minimum: 0, description: 'Decumulation horizon used, in horizon periods (0 for accumulation goals)' }),
    current_investment: moneyOut('Amount invested today, including any recommended one-time investment'),
    one_time_investment: moneyOut('Recommended one-time investment added today (0 for the current status)'),
    recurring_deposit: moneyOut('Recommended deposit at the end of each horizon period of accumulation, before recommended_inflation (0 for the current status)'),
    total_deposits: moneyOut('All deposits, including any recommended recurring deposit'),
    paths_kept: Type.Integer({ minimum: 1, description: 'Paths over which the probability and percentiles are taken, after outlier removal' }),
    final_balance: Type.Object(
      {
        mean: moneyOut('Mean final balance'),
        p10: moneyOut('10th percentile'),
        p25: moneyOut('25th percentile'),
        p50: moneyOut('Median'),
        p75: moneyOut('75th percentile'),
        p90: moneyOut('90th percentile'),
      },
      { additionalProperties: false, description: 'The balance at the end of the last horizon period, over the kept paths' },
    ),
    projection: Type.Array(ProjectionRow, { description: 'Cash flows and balance percentiles of every horizon period, from today' }),
  },
  { additionalProperties: false, title: 'GoalStatus' },
);

export const RecommendationOut = Type.Object(
  {
    recommend_type: Type.Union([Type.Literal('recurring'), Type.Literal('one-time'), Type.Literal('combo'), Type.Literal('horizon')], { description: 'What the recommendation changes' }),
    reached: Type.Boolean({ description: 'Whether the change reaches conf_tgt; if not, it is the largest change recommendation_config allows' }),
    one_time_investment: moneyOut('Amount to invest today in addition to curr_inv'),
    recurring_deposit: moneyOut('Deposit to add at the end of every horizon period of accumulation, growing by recommended_inflation yearly'),
    horizon: Type.Integer({ minimum: 0, description: 'Accumulation horizon, in horizon periods' }),
  },
  { additionalProperties: false, title: 'GoalRecommendation' },
);

export function goalResponse(requestSchema: object, extra: TProperties = {}) {
  return Type.Object(
    {
      current_status: GoalStatus,
      recommendation: Type.Union([RecommendationOut, Type.Null()], { description: 'The change that reaches conf_tgt; null when recommendation_config.recommend is false' }),
      recommended_status: Type.Union([GoalStatus, Type.Null()], { description: 'The status with the recommendation applied, from the same shocks; null without a recommendation' }),
      ...extra,
      paths: Type.Integer({ minimum: 1, description: 'Number of simulated paths (n)' }),
      seed: seedOut(),
      inputs: echo(requestSchema as never),
    },
    { additionalProperties: false },
  );
}
