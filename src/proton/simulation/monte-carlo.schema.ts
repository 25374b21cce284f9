import { Type } from 'typebox';
import { createLog, defaultsOptional, frequency } from '../request-fields.ts';
import { echo } from '../response-fields.ts';
import { PERIODS_PER_YEAR, type Frequency } from '../frequency.ts';
import { MARKET_DATA_SOURCE, USE_PROXY_DATA, nullableId, pathCount, removeOutliers, seed, seedOut } from './simulation-fields.ts';

const FREQUENCIES = Object.keys(PERIODS_PER_YEAR) as Frequency[];

function perPeriod(description: string, item: { minimum?: number }) {
  return Type.Array(Type.Number(item), { description: `${description}; L values cover the periods of cf in L equal runs ([a, b] over four periods is a, a, b, b)` });
}

function nullablePerPeriod(description: string, item: { minimum?: number }) {
  return Type.Union([perPeriod(description, item), Type.Null()], { default: null, description: `${description}; null for no bound` });
}

export const MonteCarloRequest = defaultsOptional(
  Type.Object(
    {
      cf: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), {
        minItems: 1,
        description:
          'Cash flows as [amount, periods] pairs, in order: the amount (negative for a withdrawal) is added at the end of each of that many periods. The periods add up to the length of the simulation.',
      }),
      mu: Type.Optional(perPeriod('Mean return of each period, as a fraction of the balance (arithmetic, not logarithmic)', { minimum: -1 })),
      sigma: Type.Optional(perPeriod("Standard deviation of each period's return", { minimum: 0 })),
      ret_mod: Type.Array(Type.Number({ minimum: -1 }), {
        default: [0],
        description: "Added to each period's sampled return after min_sample and max_sample apply, such as a fee as a negative figure; stretched over the periods like mu",
      }),
      init_bal: Type.Number({ minimum: 0, default: 100, description: 'Balance at the start' }),
      min_bal: Type.Array(Type.Number(), { default: [0], description: 'Lowest balance each period may end with; a lower one is raised to it. Stretched over the periods like mu' }),
      max_bal: nullablePerPeriod('Highest balance each period may end with; a higher one is lowered to it', {}),
      min_sample: nullablePerPeriod('Lowest return a period may draw; a lower draw is raised to it', { minimum: -1 }),
      max_sample: nullablePerPeriod('Highest return a period may draw; a higher draw is lowered to it', { minimum: -1 }),
      n: pathCount(),
      seed: seed(),
      frequency_interval: frequency(FREQUENCIES, 'year', 'The length of one period of cf, mu and sigma'),
      result_type: Type.Union([Type.Literal('raw'), Type.Literal('custom'), Type.Literal('median'), Type.Literal('mean'), Type.Literal('tens')], {
        default: 'raw',
        description: 'raw: every path; mean: the mean balance of each period; median: its median; tens: its 0th, 10th, …, 100th percentiles; custom: the percentiles in p',
      }),
      p: Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { default: [50], description: 'Percentiles (0 to 100) reported when result_type is custom' }),
      remove_outliers: removeOutliers(false),
      allocation_id: nullableId('allocation'),
      model_id: nullableId('model'),
      portfolio_id: nullableId('portfolio'),
      account_id: nullableId('account'),
      aggregation_account_id: nullableId('aggregation account'),
      market_data_source: MARKET_DATA_SOURCE,
      use_proxy_data: USE_PROXY_DATA,
      create_log: createLog(),
    },
    {
      additionalProperties: false,
      description:
        'Without mu and sigma, they are estimated from the historical returns of the portfolio named by allocation_id, model_id, portfolio_id, account_id or aggregation_account_id (the first given).',
      examples: [{ cf: [[100, 10]], mu: [0.05], sigma: [0.1], n: 200, result_type: 'tens', seed: 42 }],
    },
  ),
);

export const MonteCarloResponse = Type.Object(
  {
    sims: Type.Array(Type.Array(Type.Number()), {
      description:
        'The requested series, each a balance for every period from 0 (the start, init_bal) to the last, rounded to the cent: every kept path for raw, one series for mean and median, one per percentile for tens and custom',
    }),
    percentiles: Type.Union([Type.Array(Type.Number()), Type.Null()], { description: 'The percentile each series of sims is, in order; null for raw and mean' }),
    periods: Type.Integer({ minimum: 1, description: 'Number of simulated periods (the sum of the periods in cf)' }),
    paths: Type.Integer({ minimum: 1, description: 'Number of simulated paths (n)' }),
    paths_kept: Type.Integer({ minimum: 0, description: 'Paths left after outlier removal; equal to paths when remove_outliers is false' }),
    mu: Type.Array(Type.Number(), { description: 'Mean return of each period as simulated, from the request or from the portfolio' }),
    sigma: Type.Array(Type.Number(), { description: 'Standard deviation of the return of each period as simulated' }),
    seed: seedOut(),
    inputs: echo(MonteCarloRequest),
  },
  { additionalProperties: false },
);
