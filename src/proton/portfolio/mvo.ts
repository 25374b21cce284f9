import type { Static } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { loadAssetReturns, securitiesByTicker } from '../market/market-data.ts';
import { MARKET_PERIODS_PER_YEAR, meanAndCovariance } from '../market/statistics.ts';
import { MeanVarianceOptimizer, optimalFor, withMinimumAssets, type Allocation, type MeanVarianceProblem, type Target, type WeightLimits } from '../market/mean-variance.ts';
import type { WConfig, SEC_TYPES } from './mvo.schema.ts';

export const FRONTIER_POINTS = 10;

export type SecType = (typeof SEC_TYPES)[number];

export interface LimitsInput {
  tickers: readonly string[];
  secTypes: readonly SecType[];
  wConfig: Static<typeof WConfig>;
  /** Asset class of each ticker, when its security has one. */
  assetClasses: readonly (string | undefined)[];
  wAssetConfig: Readonly<Record<string, number>>;
  /** Field prefix of the request's optimisation settings ('' for mvo, 'opt_config.' inside risk_allocation). */
  prefix: string;
}

/** The weight limits a request states: per-type bounds, the cash weight, and the caps per asset class or ticker. */
export function weightLimits(input: LimitsInput): WeightLimits {
  const { tickers, secTypes, wConfig, prefix } = input;
  if (secTypes.length !== tickers.length) throw new CalculationError(`${prefix}sec_types`, `has ${secTypes.length} types for ${tickers.length} tickers`);
  if (new Set(tickers).size !== tickers.length) throw new CalculationError(`${prefix}tickers`, 'names a ticker twice');
  if (wConfig.w_min_major > wConfig.w_max_major) throw new CalculationError(`${prefix}w_config.w_min_major`, 'exceeds w_max_major');
  if (wConfig.w_min_minor > wConfig.w_max_minor) throw new CalculationError(`${prefix}w_config.w_min_minor`, 'exceeds w_max_minor');
  const cash = secTypes.flatMap((type, i) => (type === 'cash' ? [i] : []));
  if (cash.length === 0 && wConfig.cash_amount > 0) throw new CalculationError(`${prefix}w_config.cash_amount`, 'no ticker has the sec_type cash');
  const lower = secTypes.map((type) => (type === 'major' ? wConfig.w_min_major : type === 'minor' ? wConfig.w_min_minor : 0));
  const upper = secTypes.map((type) => (type === 'major' ? wConfig.w_max_major : type === 'minor' ? wConfig.w_max_minor : 1));
  const caps: WeightLimits['caps'] = [];
  for (const [key, max] of Object.entries(input.wAssetConfig)) {
    const members = tickers.flatMap((ticker, i) => (ticker === key || input.assetClasses[i] === key ? [i] : []));
    if (members.length === 0) throw new CalculationError(`${prefix}w_asset_config.${key}`, 'is neither a ticker nor the asset_class of any ticker');
    caps.push({ members, max, field: `${prefix}w_asset_config.${key}` });
  }
  const lowerSum = lower.reduce((a, b) => a + b, 0) + wConfig.cash_amount;
  const upperSum = upper.reduce((sum, u, i) => sum + (secTypes[i] === 'cash' ? 0 : u), 0) + wConfig.cash_amount;
  if (lowerSum > 1 + 1e-12) throw new CalculationError(`${prefix}w_config`, `the least weights add up to ${lowerSum}, more than 1`);
  if (upperSum < 1 - 1e-12) throw new CalculationError(`${prefix}w_config`, `the most weights add up to ${upperSum}, less than 1`);
  return { lower, upper, caps, fixed: cash.length > 0 ? { members: cash, total: wConfig.cash_amount } : undefined };
}

export interface OptimisationOutcome {
  optimal: Allocation;
  frontier: Allocation[];
}

/** The optimal portfolio for the target under the limits and minimum number of assets, and the efficient frontier under the same limits. */
export function optimise(problem: MeanVarianceProblem, minAssets: number, target: Target, prefix: string): OptimisationOutcome {
  if (minAssets > problem.mean.length) throw new CalculationError(`${prefix}min_assets`, `exceeds the ${problem.mean.length} tickers`);
  const base = new MeanVarianceOptimizer(problem);
  const { optimizer, optimal } = withMinimumAssets(base, problem, minAssets, (candidate) => optimalFor(candidate, target, `${prefix}w_config`).optimal);
  const ends = optimizer.ends(`${prefix}w_config`);
  return { optimal, frontier: optimizer.frontier(ends, FRONTIER_POINTS) };
}

export interface OptimisationRequest {
  tickers: string[];
  sec_types: SecType[];
  w_config: Static<typeof WConfig>;
  min_assets: number;
  w_asset_config: Record<string, number>;
  start_date?: string | null;
  end_date?: string | null;
}

/** Annual mean and covariance (252 × daily) of the tickers' daily returns, with the limits the request states. */
export async function problemFor(reader: EntityReader, request: OptimisationRequest, options: { prefix: string; useProxy: boolean }) {
  const securities = await securitiesByTicker(reader, request.tickers, `${options.prefix}tickers`);
  const returns = await loadAssetReturns(reader, request.tickers, {
    start_date: request.start_date,
    end_date: request.end_date,
    frequency: 'day',
    use_proxy_data: options.useProxy,
    field: `${options.prefix}tickers`,
  });
  const limits = weightLimits({
    tickers: request.tickers,
    secTypes: request.sec_types,
    wConfig: request.w_config,
    assetClasses: request.tickers.map((t) => {
      const assetClass = securities.get(t)?.doc.asset_class;
      return typeof assetClass === 'string' ? assetClass : undefined;
    }),
    wAssetConfig: request.w_asset_config,
    prefix: options.prefix,
  });
  const periods = MARKET_PERIODS_PER_YEAR.day;
  const { mean, covariance } = meanAndCovariance(returns);
  const problem: MeanVarianceProblem = {
    mean: mean.map((m) => m * periods),
    covariance: covariance.map((row) => row.map((c) => c * periods)),
    limits,
  };
  return { problem, returns };
}

