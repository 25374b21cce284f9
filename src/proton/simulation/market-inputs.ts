import type { EntityReader } from '../../platform/read/entity-reader.ts';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { periodsPerYear, type Frequency } from '../frequency.ts';
import { portfolioStatistics, type MarketFrequency, type PortfolioSource } from '../market/portfolio-statistics.ts';

/** The market data frequency closest to a simulation period that the price history can give. */
const MARKET_FREQUENCY: Record<Frequency, MarketFrequency> = {
  year: 'year',
  six_months: 'quarter',
  quarter: 'quarter',
  month: 'month',
  two_weeks: 'week',
  week: 'week',
  day: 'day',
};

/** The request fields that name a portfolio by a Nucleus record, with that record's entity. */
export const PORTFOLIO_IDS = [
  ['allocation_id', 'allocation'],
  ['model_id', 'model'],
  ['portfolio_id', 'portfolio'],
  ['account_id', 'account'],
  ['aggregation_account_id', 'aggregation_account'],
] as const;

type PortfolioIds = Partial<Record<(typeof PORTFOLIO_IDS)[number][0], string | null>>;

/** Every portfolio id the request gives must name a record the caller may read (404 otherwise). */
export async function requirePortfolioIds(nucleus: NucleusAccess, auth: AuthContext, body: PortfolioIds): Promise<void> {
  for (const [field, entity] of PORTFOLIO_IDS) {
    const id = body[field];
    if (id) await requireRecords(nucleus, auth, entity, [id]);
  }
}

export interface PortfolioMoments {
  tickers: string[];
  weights: number[];
  /** Mean and standard deviation of the return of one simulation period. */
  mean: number;
  deviation: number;
}

/**
 * The mean and deviation of a period's return for the portfolio a request names, estimated from
 * its securities' historical returns. When the simulation period has no market frequency of its
 * own (six months, two weeks) the annual figures are scaled back down the same way they were
 * annualised: mean ÷ P and deviation ÷ √P.
 */
export async function portfolioMoments(reader: EntityReader, source: PortfolioSource, frequency: Frequency): Promise<PortfolioMoments> {
  const market = MARKET_FREQUENCY[frequency];
  const stats = await portfolioStatistics(reader, source, market);
  const sameUnit = market === frequency;
  const perYear = periodsPerYear(frequency);
  return {
    tickers: stats.tickers,
    weights: stats.weights,
    mean: sameUnit ? stats.periodMean : stats.annualMean / perYear,
    deviation: sameUnit ? stats.periodRisk : stats.annualRisk / Math.sqrt(perYear),
  };
}
