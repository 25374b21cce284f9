import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { createLogField, nullableDate, nullableTickers, portfolioSourceFields } from '../portfolio/portfolio-fields.ts';
import { SEC_TYPES } from '../portfolio/mvo.schema.ts';

const sourceFields = () => ({
  ...portfolioSourceFields(),
  start_date: nullableDate('First day of prices used'),
  end_date: nullableDate('Last day of prices used'),
  create_log: createLogField(),
});

export const DiversificationScoreRequest = defaultsOptional(Type.Object(sourceFields(), { additionalProperties: false }));

const share = (description: string, defaultValue: number) => Type.Number({ minimum: 0, maximum: 1, default: defaultValue, description: `${description}, as a fraction` });

export const W_CONFIG_DEFAULTS = { w_min_major: 0.05, w_max_major: 1, w_min_minor: 0.05, w_max_minor: 1, cash_amount: 0 };

const OptConfig = Type.Object(
  {
    tickers: nullableTickers("The universe the optimal portfolio is chosen from; it must hold the portfolio's tickers. Null for the portfolio's own tickers"),
    min_assets: Type.Integer({ minimum: 1, default: 1, description: 'Least number of securities the optimal portfolio holds (weight of at least 0.0001)' }),
    sec_types: Type.Array(Type.Unsafe<(typeof SEC_TYPES)[number]>({ type: 'string', enum: [...SEC_TYPES] }), {
      default: [],
      description: 'The type of each ticker of the universe, in order: major and minor get their w_config limits, cash its fixed weight; empty for all major',
    }),
    w_asset_config: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), { default: {}, description: "Most total weight per asset class (a security's asset_class) or per ticker, as a fraction" }),
    w_config: Type.Optional(Type.Object(
      {
        w_min_major: share('Least weight of each major security', W_CONFIG_DEFAULTS.w_min_major),
        w_max_major: share('Most weight of each major security', W_CONFIG_DEFAULTS.w_max_major),
        w_min_minor: share('Least weight of each minor security', W_CONFIG_DEFAULTS.w_min_minor),
        w_max_minor: share('Most weight of each minor security', W_CONFIG_DEFAULTS.w_max_minor),
        cash_amount: share('Weight held in the cash securities together', W_CONFIG_DEFAULTS.cash_amount),
      },
      { additionalProperties: false, title: 'OptimizationScoreWConfig', description: 'Weight limits; each limit left out takes its default' },
    )),
  },
  { additionalProperties: false, title: 'OptimizationScoreConfig', description: 'The limits of the optimal portfolio; left out, the defaults of each field apply' },
);

export const PortfolioOptimizationScoreRequest = defaultsOptional(
  Type.Object(
    {
      ...sourceFields(),
      opt_config: Type.Optional(OptConfig),
      tgt_type: Type.Unsafe<'risk' | 'return'>({
        type: 'string',
        enum: ['risk', 'return'],
        default: 'return',
        description: "return: compare with the least-risk portfolio at the portfolio's return; risk: with the highest-return portfolio within its risk",
      }),
    },
    { additionalProperties: false },
  ),
);

const window = {
  start_date: Type.String({ format: 'date', description: 'First day whose return was used' }),
  end_date: Type.String({ format: 'date', description: 'Last day whose return was used' }),
  periods: Type.Integer({ minimum: 1, description: 'Number of daily returns used' }),
};

export const DiversificationScoreResponse = Type.Object(
  {
    diversification_score: Type.Number({ minimum: 0, maximum: 100, description: '100 × (1 − σₚ² / (Σ wᵢσᵢ)²): the share of the weighted average variance that holding the securities together removes; unrounded' }),
    diversification_ratio: Type.Union([Type.Number({ minimum: 1 }), Type.Null()], { description: 'Σ wᵢσᵢ / σₚ; null when the portfolio does not vary at all' }),
    portfolio_risk: fractionOut("σₚ = √(wᵀΣw), the annual standard deviation of the portfolio's daily returns (× √252)"),
    weighted_average_risk: fractionOut("Σ wᵢσᵢ, the weights times each security's annual standard deviation"),
    tickers: Type.Array(Type.String(), { description: 'The tickers of the portfolio' }),
    weights: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { description: 'Their weights, in the same order' }),
    ...window,
  },
  { additionalProperties: false, title: 'DiversificationScoreResult' },
);

const Portfolio = Type.Object(
  {
    weights: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { description: 'Weight of each ticker of the universe, in the order of tickers' }),
    return: fractionOut('Annual expected return: 252 × the mean daily return'),
    risk: fractionOut('Annual risk: √252 × the standard deviation of daily returns'),
  },
  { additionalProperties: false, title: 'OptimizationScorePortfolio' },
);

export const PortfolioOptimizationScoreResponse = Type.Object(
  {
    portfolio_optimization_score: Type.Number({ minimum: 0, maximum: 100, description: 'How close the portfolio is to the efficient frontier, from 0 to 100 (100 on it); unrounded. Formulas: docs/proton-advice.md' }),
    tgt_type: Type.String({ description: 'As requested' }),
    tickers: Type.Array(Type.String(), { description: 'The universe, in the order of every weights array' }),
    current_portfolio: Portfolio,
    optimal_portfolio: Type.Object(Portfolio.properties, { additionalProperties: false, description: 'The frontier portfolio the portfolio is compared with' }),
    least_risk_portfolio: Type.Object(Portfolio.properties, { additionalProperties: false, description: 'The least-variance portfolio within the limits' }),
    ...window,
  },
  { additionalProperties: false, title: 'PortfolioOptimizationScoreResult' },
);
