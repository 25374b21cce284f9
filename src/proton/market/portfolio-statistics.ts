import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { loadAssetReturns, requireNucleusData, type AssetReturns, type MarketFrequency } from './market-data.ts';
import { resolvePortfolio, sourceField, type PortfolioSource } from './portfolio-source.ts';
import { annualise, MARKET_PERIODS_PER_YEAR, meanAndCovariance, weightedMean, weightedRisk } from './statistics.ts';

export { loadAssetReturns, loadPriceSeries, pricesBySecurity, alignReturns, periodKey, securitiesByTicker, requireTicker, tickerField, requireNucleusData } from './market-data.ts';
export type { AssetReturns, MarketFrequency, MarketDataOptions, PriceSeries } from './market-data.ts';
export { resolvePortfolio, sourceField, statedPortfolio, WEIGHT_SUM_TOLERANCE } from './portfolio-source.ts';
export type { PortfolioSource, ResolvedPortfolio } from './portfolio-source.ts';
export { meanAndCovariance, mean, standardDeviation, weightedMean, weightedRisk, portfolioReturnSeries, annualise, MARKET_PERIODS_PER_YEAR } from './statistics.ts';

export interface PortfolioStatistics {
  tickers: string[];
  weights: number[];
  periodMean: number;
  periodRisk: number;
  annualMean: number;
  annualRisk: number;
  returns: AssetReturns;
}

/**
 * Expected return and standard deviation of the weighted portfolio, per period of the
 * frequency and annualised (mean × P, deviation × √P with P periods a year), from the
 * historical returns of its securities between start_date and end_date.
 */
export async function portfolioStatistics(reader: EntityReader, source: PortfolioSource, frequency: MarketFrequency): Promise<PortfolioStatistics> {
  requireNucleusData(source.market_data_source);
  const { tickers, weights } = await resolvePortfolio(reader, source);
  const returns = await loadAssetReturns(reader, tickers, {
    start_date: source.start_date,
    end_date: source.end_date,
    frequency,
    use_proxy_data: source.use_proxy_data,
    field: sourceField(source),
  });
  const { mean, covariance } = meanAndCovariance(returns);
  const periodMean = weightedMean(weights, mean);
  const periodRisk = weightedRisk(weights, covariance);
  return { tickers, weights, periodMean, periodRisk, ...annualise(periodMean, periodRisk, MARKET_PERIODS_PER_YEAR[frequency]), returns };
}
