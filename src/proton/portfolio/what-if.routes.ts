import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { loadAssetReturns, requireNucleusData, securitiesByTicker } from '../market/market-data.ts';
import { resolvePortfolio, sourceField, statedPortfolio } from '../market/portfolio-source.ts';
import { annualise, MARKET_PERIODS_PER_YEAR, meanAndCovariance, weightedMean, weightedRisk } from '../market/statistics.ts';
import { WhatIfRequest, WhatIfResponse } from './what-if.schema.ts';

type Body = Static<typeof WhatIfRequest>;

export function whatIfRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/portfolio_what_if',
    operationId: 'portfolioWhatIf',
    tag: 'Simulations',
    summary: 'Current against altered portfolio: return and risk',
    description:
      'Compares the expected return and risk of a portfolio with those of an altered version of it (positions added, removed or reweighted), both from the same days of stored prices. Formulas: docs/proton-portfolio.md.',
    body: WhatIfRequest,
    response: WhatIfResponse,
    solve: async (body, auth) => {
      requireNucleusData(body.market_data_source);
      const reader = EntityReader.asCaller(nucleus, auth);
      const source = { ...body, portfolio_tickers: body.current_portfolio_tickers, portfolio_weights: body.current_portfolio_weights };
      const current = body.current_portfolio_tickers
        ? statedPortfolio(body.current_portfolio_tickers, body.current_portfolio_weights, { tickers: 'current_portfolio_tickers', weights: 'current_portfolio_weights' })
        : await resolvePortfolio(reader, source);
      const altered = statedPortfolio(body.altered_portfolio_tickers ?? current.tickers, body.altered_portfolio_weights, {
        tickers: 'altered_portfolio_tickers',
        weights: 'altered_portfolio_weights',
      });
      await securitiesByTicker(reader, current.tickers, body.current_portfolio_tickers ? 'current_portfolio_tickers' : sourceField(source));
      await securitiesByTicker(reader, altered.tickers, body.altered_portfolio_tickers ? 'altered_portfolio_tickers' : 'current_portfolio_tickers');
      const tickers = [...new Set([...current.tickers, ...altered.tickers])];
      const returns = await loadAssetReturns(reader, tickers, { start_date: body.start_date, end_date: body.end_date, frequency: 'day', use_proxy_data: body.use_proxy_data });
      const { mean, covariance } = meanAndCovariance(returns);
      const describe = (portfolio: { tickers: string[]; weights: number[] }) => {
        const full = tickers.map((t) => {
          const i = portfolio.tickers.indexOf(t);
          return i < 0 ? 0 : portfolio.weights[i];
        });
        const { annualMean, annualRisk } = annualise(weightedMean(full, mean), weightedRisk(full, covariance), MARKET_PERIODS_PER_YEAR.day);
        return { tickers: portfolio.tickers, weights: portfolio.weights, annual_return: annualMean, annual_risk: annualRisk };
      };
      const before = describe(current);
      const after = describe(altered);
      return {
        current_portfolio: before,
        altered_portfolio: after,
        change: { annual_return: after.annual_return - before.annual_return, annual_risk: after.annual_risk - before.annual_risk },
        start_date: returns.dates[0],
        end_date: returns.dates[returns.dates.length - 1],
        periods: returns.dates.length,
      };
    },
  });
}
