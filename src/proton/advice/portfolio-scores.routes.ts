import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { MARKET_PERIODS_PER_YEAR, meanAndCovariance, portfolioStatistics, requireNucleusData, resolvePortfolio } from '../market/portfolio-statistics.ts';
import { problemFor } from '../portfolio/mvo.ts';
import { diversification } from './diversification.ts';
import { optimizationScore } from './optimization-score.ts';
import { requireNamed } from './named-records.ts';
import {
  DiversificationScoreRequest,
  DiversificationScoreResponse,
  PortfolioOptimizationScoreRequest,
  PortfolioOptimizationScoreResponse,
  W_CONFIG_DEFAULTS,
} from './portfolio-scores.schema.ts';

type DiversificationBody = Static<typeof DiversificationScoreRequest>;
type OptimizationBody = Static<typeof PortfolioOptimizationScoreRequest>;

const DAILY = MARKET_PERIODS_PER_YEAR.day;

const PORTFOLIO =
  'The portfolio is portfolio_tickers with portfolio_weights, or the latest holdings of the allocation, model, portfolio, account or ' +
  'aggregation account named; its risk comes from the daily returns of Nucleus prices between start_date and end_date, on the days all ' +
  'its securities have a price.';

/** The records a portfolio source names, checked whichever of them is used. */
const sourceRecords = (body: DiversificationBody | OptimizationBody) => ({
  allocation: body.allocation_id,
  model: body.model_id,
  portfolio: body.portfolio_id,
  account: body.account_id,
  aggregation_account: body.aggregation_account_id,
});

const SOURCE_IDS = ['allocation_id', 'model_id', 'portfolio_id', 'account_id', 'aggregation_account_id'] as const;

/**
 * Without opt_config.tickers the universe is the portfolio's own, so a ticker the market data
 * rejects is named where the request gave it: in portfolio_tickers, or through the record
 * whose holdings it came from.
 */
async function namingPortfolioTickers<T>(body: OptimizationBody, universe: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const place = error instanceof CalculationError && !body.opt_config?.tickers ? /^opt_config\.tickers\[(\d+)\]$/.exec(error.field) : null;
    if (!place) throw error;
    const ticker = universe[Number(place[1])];
    const field = body.portfolio_tickers ? `portfolio_tickers[${body.portfolio_tickers.indexOf(ticker)}]` : (SOURCE_IDS.find((id) => body[id]) ?? 'portfolio_tickers');
    throw new CalculationError(field, (error as CalculationError).problem);
  }
}

const window = (dates: readonly string[]) => ({ start_date: dates[0], end_date: dates[dates.length - 1], periods: dates.length });

export function portfolioScoreRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<DiversificationBody>(app, nucleus, {
    path: '/diversification_score',
    operationId: 'diversificationScore',
    tag: 'Financial Health',
    summary: 'How much of its securities\' risk a portfolio diversifies away',
    description: `score = 100 × (1 − σₚ² / (Σ wᵢσᵢ)²), where σᵢ is each security's standard deviation and σₚ the portfolio's. ${PORTFOLIO}`,
    body: DiversificationScoreRequest,
    response: DiversificationScoreResponse,
    solve: async (body, auth) => {
      await requireNamed(nucleus, auth, sourceRecords(body));
      const statistics = await portfolioStatistics(EntityReader.asCaller(nucleus, auth), body, 'day');
      const { covariance } = meanAndCovariance(statistics.returns);
      const result = diversification(statistics.weights, covariance);
      const annual = Math.sqrt(DAILY);
      return {
        diversification_score: result.score,
        diversification_ratio: result.ratio,
        portfolio_risk: result.portfolioRisk * annual,
        weighted_average_risk: result.weightedAverageRisk * annual,
        tickers: statistics.tickers,
        weights: statistics.weights,
        ...window(statistics.returns.dates),
      };
    },
  });

  registerOperation<OptimizationBody>(app, nucleus, {
    path: '/portfolio_optimization_score',
    operationId: 'portfolioOptimizationScore',
    tag: 'Financial Health',
    summary: 'How close a portfolio is to the efficient frontier',
    description:
      "tgt_type return: 100 × σ* / σₚ, with σ* the least risk of a portfolio within the limits returning at least the portfolio's return. " +
      "tgt_type risk: 100 × (Rₚ − R₀) / (R* − R₀), with R* the highest return within the portfolio's risk and R₀ the least-variance " +
      `portfolio's return. The frontier is mean-variance optimisation under opt_config, as /mvo computes it. ${PORTFOLIO}`,
    body: PortfolioOptimizationScoreRequest,
    response: PortfolioOptimizationScoreResponse,
    solve: async (body, auth) => {
      requireNucleusData(body.market_data_source);
      await requireNamed(nucleus, auth, sourceRecords(body));
      const reader = EntityReader.asCaller(nucleus, auth);
      const portfolio = await resolvePortfolio(reader, body);
      const config = body.opt_config;
      const tickers = config?.tickers ?? portfolio.tickers;
      const missing = portfolio.tickers.find((ticker) => !tickers.includes(ticker));
      if (missing !== undefined) throw new CalculationError('opt_config.tickers', `leaves out ${missing}, which the portfolio holds`);
      const secTypes = config?.sec_types?.length ? config.sec_types : tickers.map(() => 'major' as const);
      const { problem, returns } = await namingPortfolioTickers(body, tickers, () => problemFor(
        reader,
        {
          tickers,
          sec_types: secTypes,
          w_config: { ...W_CONFIG_DEFAULTS, ...config?.w_config },
          min_assets: config?.min_assets ?? 1,
          w_asset_config: config?.w_asset_config ?? {},
          start_date: body.start_date,
          end_date: body.end_date,
        },
        { prefix: 'opt_config.', useProxy: body.use_proxy_data },
      ));
      const weights = tickers.map((ticker) => portfolio.weights[portfolio.tickers.indexOf(ticker)] ?? 0);
      const result = optimizationScore(problem, weights, body.tgt_type, config?.min_assets ?? 1, 'opt_config.w_config');
      return {
        portfolio_optimization_score: result.score,
        tgt_type: body.tgt_type,
        tickers,
        current_portfolio: result.current,
        optimal_portfolio: result.optimal,
        least_risk_portfolio: result.leastRisk,
        ...window(returns.dates),
      };
    },
  });
}
