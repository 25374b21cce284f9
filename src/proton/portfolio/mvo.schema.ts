import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { marketDataSource, nullableDate, tickerList, useProxyData } from './portfolio-fields.ts';

const share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description: `${description}, as a fraction` });

export const WConfig = Type.Object(
  {
    w_min_major: share('Least weight of each major security'),
    w_max_major: share('Most weight of each major security'),
    w_min_minor: share('Least weight of each minor security'),
    w_max_minor: share('Most weight of each minor security'),
    cash_amount: share('Weight held in the cash securities together (split between them by the optimiser)'),
  },
  { additionalProperties: false, title: 'MvoWConfig' },
);

export const SEC_TYPES = ['major', 'minor', 'cash'] as const;

/** The fields of mvoRequest (and of riskAllocationRequest's opt_config, which lacks the market-data fields). */
export function optimisationFields() {
  return {
    tickers: tickerList('Tickers of the securities to choose from'),
    sec_types: Type.Array(Type.Union(SEC_TYPES.map((t) => Type.Literal(t))), { minItems: 1, description: 'The type of each ticker, in the same order: major and minor get their w_config limits, cash its fixed weight' }),
    w_config: WConfig,
    min_assets: Type.Integer({ minimum: 1, description: 'Least number of securities held (weight of at least 0.0001); met by the cardinality heuristic documented in docs/proton-portfolio.md' }),
    w_asset_config: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), {
      default: {},
      description: "Most total weight per asset class (a security's asset_class) or per ticker, as a fraction",
    }),
    start_date: nullableDate('First day of prices used'),
    end_date: nullableDate('Last day of prices used'),
  };
}

export const MvoRequest = defaultsOptional(
  Type.Object(
    {
      ...optimisationFields(),
      tgt_type: Type.Optional(Type.Union([Type.Literal('risk'), Type.Literal('return')], { description: 'What tgt_val targets: the most annual risk, or the least annual return; without it the least-variance portfolio is optimal' })),
      tgt_val: Type.Number({ default: 0, description: 'The target: annual standard deviation (risk) or annual expected return (return), as a fraction' }),
      market_data_source: marketDataSource(),
      use_proxy_data: useProxyData(),
    },
    { additionalProperties: false },
  ),
);

export const AllocationOut = Type.Object(
  {
    weights: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { description: 'Weight of each ticker, in the order of tickers; they sum to 1' }),
    return: fractionOut('Annual expected return: 252 × the mean daily return of the weighted portfolio'),
    risk: fractionOut('Annual risk: √252 × the standard deviation of daily returns of the weighted portfolio'),
  },
  { additionalProperties: false, title: 'MvoPortfolio' },
);

export const MvoResponse = Type.Object(
  {
    tickers: Type.Array(Type.String(), { description: 'The tickers, in the order of every weights array' }),
    optimal_portfolio: AllocationOut,
    frontier: Type.Array(AllocationOut, { description: 'Efficient frontier: least-variance portfolios at returns evenly spaced from the least-variance portfolio to the highest-return one' }),
    start_date: Type.String({ format: 'date', description: 'First day whose return was used' }),
    end_date: Type.String({ format: 'date', description: 'Last day whose return was used' }),
    periods: Type.Integer({ minimum: 1, description: 'Number of daily returns used' }),
  },
  { additionalProperties: false },
);
