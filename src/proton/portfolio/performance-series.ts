import { CalculationError } from '../calculation-error.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { portfoliosOf, type Owner } from '../../nucleus/views/ownership.ts';
import { loadDated } from '../../platform/read/dated-rows.ts';
import { PORTFOLIO_ASSET_SIZES } from '../../nucleus/views/sources.ts';
import { assetSizeSeries } from '../../nucleus/views/asset-size.ts';
import { benchmarkSeries } from '../../nucleus/views/benchmark.ts';
import { decimalOf, ZERO } from '../../platform/money/money.ts';
import { loadAssetReturns, pricesBySecurity } from '../market/market-data.ts';
import { resolvePortfolio } from '../market/portfolio-source.ts';
import { portfolioReturnSeries } from '../market/statistics.ts';
import { pointsFromReturns, type ValuePoint } from './value-series.ts';

export interface EntityIds {
  security_id?: string;
  model_id?: string;
  allocation_id?: string;
  portfolio_id?: string;
  account_id?: string;
  goal_id?: string;
  household_id?: string;
  client_id?: string;
  start_date?: string | null;
  end_date?: string | null;
}

/** Which record's performance is measured, by the first of these fields present. */
export const ENTITY_FIELDS = ['security_id', 'model_id', 'allocation_id', 'portfolio_id', 'account_id', 'goal_id', 'household_id', 'client_id'] as const;

function range(ids: EntityIds) {
  return { start: ids.start_date ?? undefined, end: ids.end_date ?? undefined };
}

/** A security's daily prices, no cash flows. */
async function securityPoints(reader: EntityReader, id: string, ids: EntityIds): Promise<ValuePoint[]> {
  await reader.doc('security', id);
  const prices = (await pricesBySecurity(reader, [id], ids)).get(id) ?? { days: [], prices: [] };
  return prices.days.map((date, t) => ({ date, value: prices.prices[t], cashFlow: 0 }));
}

/** A model or allocation held at its latest weights and rebalanced to them daily, from 1 on its first priced day. */
async function weightedPoints(reader: EntityReader, ids: EntityIds, field: 'model_id' | 'allocation_id'): Promise<ValuePoint[]> {
  const { tickers, weights } = await resolvePortfolio(reader, { [field]: ids[field] });
  const returns = await loadAssetReturns(reader, tickers, { start_date: ids.start_date, end_date: ids.end_date, frequency: 'day', field });
  return pointsFromReturns(returns.startDate!, { dates: returns.dates, returns: [...portfolioReturnSeries(returns, weights)] });
}

/** The summed asset sizes (and cash flows) of the owner's portfolios, as the asset-size views compute them. */
async function ownerPoints(reader: EntityReader, owner: Owner, ids: EntityIds): Promise<ValuePoint[]> {
  const portfolios = await portfoliosOf(reader, owner);
  const rows = await loadDated(reader, PORTFOLIO_ASSET_SIZES, portfolios.map((p) => p.id), range(ids));
  const records = rows.map((row) => ({
    source: row.group,
    day: row.day,
    at: row.at,
    value: decimalOf(row.value) ?? ZERO,
    cashFlow: decimalOf(row.cash_flow) ?? ZERO,
  }));
  const series = assetSizeSeries(records, { range: range(ids), shares: new Map(portfolios.map((p) => [p.id, p.share])) });
  return series.map((p) => ({ date: p.date, value: p.value.toNumber(), cashFlow: p.cashFlow.toNumber() }));
}

/** The value series of the record a performance request names, and the field naming it. */
export async function entityPoints(reader: EntityReader, ids: EntityIds): Promise<{ points: ValuePoint[]; field: string }> {
  const field = ENTITY_FIELDS.find((f) => ids[f]);
  if (!field) throw new CalculationError('portfolio_id', `name the record to measure: one of ${ENTITY_FIELDS.join(', ')}`);
  const id = ids[field]!;
  switch (field) {
    case 'security_id':
      return { points: await securityPoints(reader, id, ids), field };
    case 'model_id':
    case 'allocation_id':
      return { points: await weightedPoints(reader, ids, field), field };
    case 'goal_id':
      if (!ids.client_id) throw new CalculationError('client_id', "is needed with goal_id: a goal's portfolios are those of one client");
      return { points: await ownerPoints(reader, { kind: 'goal', id, clientId: ids.client_id, portfolioGoal: false }, ids), field };
    default:
      return { points: await ownerPoints(reader, { kind: field.replace('_id', '') as 'portfolio' | 'account' | 'household' | 'client', id }, ids), field };
  }
}

/** A benchmark's value: 100 split by its composition on the first day every component has a price, then held. */
export async function benchmarkPoints(reader: EntityReader, benchmarkId: string, ids: EntityIds): Promise<ValuePoint[]> {
  const doc = await reader.doc('benchmark', benchmarkId);
  const composition = (doc.composition ?? []).map((c) => ({
    securityId: c.security_id,
    weight: decimalOf(c.weight) ?? ZERO,
  }));
  if (composition.length === 0) throw new CalculationError('benchmark_id', 'has no composition to value');
  const prices = await pricesBySecurity(reader, composition.map((c) => c.securityId), { end_date: ids.end_date });
  const records = [...prices].flatMap(([securityId, series]) =>
    series.days.map((day, t) => ({ securityId, day, at: day, price: decimalOf(series.prices[t])! })),
  );
  return benchmarkSeries(composition, records, { range: range(ids) }).map((p) => ({ date: p.date, value: p.value.toNumber(), cashFlow: 0 }));
}
