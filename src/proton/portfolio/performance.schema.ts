import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';

export const STAT_NAMES = [
  'cum_return',
  'ann_return',
  'mwr',
  'period_returns',
  'ann_vol',
  'downside_deviation',
  'sharpe_ratio',
  'sortino_ratio',
  'max_drawdown',
  'rolling_n_day_max_drawdown',
  'rolling_n_day_vol',
  'rolling_n_day_return',
  'moving_avg_n_day',
  'hist_var',
  'alpha',
  'beta',
  'treynor_ratio',
  'correlation',
  'tracking_error',
  'information_ratio',
  'active_premium',
] as const;
export type StatName = (typeof STAT_NAMES)[number];

const PERIOD_CODES = ['Y', 'Q', 'M', 'D'] as const;
const periodCode = (description: string) =>
  Type.Unsafe<(typeof PERIOD_CODES)[number]>({ type: 'string', enum: [...PERIOD_CODES], default: 'D', description: `${description}: D daily, M monthly, Q quarterly, Y yearly (the last value of each period)` });
const rate = (description: string) => Type.Number({ default: 0, description: `${description}; annual, as a fraction` });
const id = (description: string) => Type.Optional(Type.String({ format: 'uuid', description: `${description}; 404 when the caller cannot read it` }));
const window = (description: string) => Type.Integer({ minimum: 1, default: 7, description });
const unused = (schema: Record<string, unknown>) => Type.Unsafe<number>({ ...schema, description: 'Accepted for compatibility; no statistic offered here uses it' });

export const PerformanceRequest = defaultsOptional(
  Type.Object(
    {
      stat_name: Type.Union(STAT_NAMES.map((s) => Type.Literal(s)), { description: 'The statistic to compute; docs/proton-portfolio.md gives the formula of each' }),
      security_id: id('Measure a security, by its prices'),
      model_id: id('Measure a model held at its latest strategic weights, rebalanced daily'),
      allocation_id: id("Measure an allocation held at its models' latest weights, rebalanced daily"),
      portfolio_id: id('Measure a portfolio by its asset sizes and cash flows'),
      account_id: id("Measure an account's portfolios by their asset sizes and cash flows"),
      goal_id: id("Measure a goal: the portfolios of client_id's accounts that list the goal"),
      household_id: id("Measure a household: the portfolios of its members' accounts"),
      client_id: id("Measure a client: the portfolios of the accounts listing the client (also the client of goal_id)"),
      benchmark_id: id('Benchmark for alpha, beta, treynor_ratio, correlation, tracking_error, information_ratio and active_premium: its composition valued over security prices'),
      start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'First day of the window; null for the first value stored' }),
      end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'Last day of the window; null for the last value stored' }),
      period_type: periodCode('Return period of every statistic computed from returns'),
      annualized_return_period: periodCode('Return period over which ann_return compounds'),
      active_premium_period: periodCode('Return period of active_premium'),
      risk_free_sharpe: rate('Risk-free rate of sharpe_ratio'),
      risk_free_sortino: rate('Risk-free rate of sortino_ratio, also its downside threshold'),
      risk_free_alpha: rate('Risk-free rate of alpha'),
      risk_free_treynor: rate('Risk-free rate of treynor_ratio'),
      mar_downside_deviation: rate('Minimum acceptable return of downside_deviation'),
      var_conf_interval: Type.Number({ default: 95, exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'Confidence of hist_var, in percent' }),
      n_day_returns: window('Returns in each window of rolling_n_day_return'),
      n_rolling_volatility: window('Returns in each window of rolling_n_day_vol'),
      n_rolling_max_drawdown: window('Returns in each window of rolling_n_day_max_drawdown'),
      moving_average_n_day: window('Values in each window of moving_avg_n_day'),
      mean_percentile_monte_carlo: unused({ type: 'number', default: 50, minimum: 0 }),
      min_percentile_monte_carlo: unused({ type: 'number', default: 20, minimum: 0 }),
      max_percentile_monte_carlo: unused({ type: 'number', default: 80, minimum: 0 }),
      num_sim_monte_carlo: unused({ type: 'integer', default: 1000, minimum: 1 }),
      n_path_monte_carlo: unused({ type: 'integer', default: 100, minimum: 1 }),
      hist_factor: unused({ type: 'number', default: 5 }),
    },
    { additionalProperties: false },
  ),
);

const DatedValue = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'Last day of the window or period' }),
    value: Type.Number({ description: 'The statistic for that window or period' }),
  },
  { additionalProperties: false, title: 'PerformanceDatedValue' },
);

export const PerformanceResponse = Type.Object(
  {
    stat_name: Type.String({ description: 'The statistic computed' }),
    measured: Type.String({ description: 'The request field naming the record measured, e.g. portfolio_id' }),
    start_date: Type.String({ format: 'date', description: 'First day of the values used' }),
    end_date: Type.String({ format: 'date', description: 'Last day of the values used' }),
    periods: Type.Integer({ minimum: 1, description: 'Number of returns the statistic is computed from' }),
    value: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], {
        description: 'The statistic, for a single-figure statistic: a fraction for returns, volatilities and drawdowns (annual where its name says so), a plain number for ratios and beta; null when undefined (no variance to divide by)',
      }),
    ),
    series: Type.Optional(Type.Array(DatedValue, { description: 'For period_returns and the rolling and moving statistics: one value per period or window' })),
  },
  { additionalProperties: false },
);
