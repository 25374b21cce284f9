import { CalculationError } from '../calculation-error.ts';
import type { EntityReader, Row } from '../../platform/read/entity-reader.ts';
import { snapshotsAsOf } from '../../nucleus/views/snapshots.ts';
import { dayOf } from '../../platform/calendar/days.ts';

/** The request fields by which Proton requests name a portfolio and its market data (as in proton.yaml). */
export interface PortfolioSource {
  portfolio_tickers?: string[] | null;
  portfolio_weights?: number[] | null;
  allocation_id?: string | null;
  model_id?: string | null;
  portfolio_id?: string | null;
  account_id?: string | null;
  aggregation_account_id?: string | null;
  start_date?: string | null;
  end_date?: string | null;
  market_data_source?: 'nucleus' | 'integration';
  use_proxy_data?: boolean;
}

export interface ResolvedPortfolio {
  tickers: string[];
  weights: number[];
}

/** How far weights may be from summing to one and still be taken as doing so. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Tickers and weights stated in a request: as many weights as tickers, none negative, summing to 1. */
export function statedPortfolio(tickers: readonly string[], weights: readonly number[] | null | undefined, fields = { tickers: 'portfolio_tickers', weights: 'portfolio_weights' }): ResolvedPortfolio {
  if (!weights) throw new CalculationError(fields.weights, `give a weight for each of ${fields.tickers}`);
  if (weights.length !== tickers.length) throw new CalculationError(fields.weights, `has ${weights.length} weights for ${tickers.length} tickers`);
  if (new Set(tickers).size !== tickers.length) throw new CalculationError(fields.tickers, 'names a ticker twice');
  weights.forEach((w, i) => {
    if (!(w >= 0)) throw new CalculationError(`${fields.weights}[${i}]`, 'must not be negative');
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) throw new CalculationError(fields.weights, `must sum to 1 (they sum to ${sum})`);
  return { tickers: [...tickers], weights: [...weights] };
}

function latestLines<T extends { source: string; day: string; at: string; item: string }>(lines: T[]): T[] {
  return snapshotsAsOf(lines, { latestOnly: true })[0]?.lines ?? [];
}

/** Weights by security id, scaled to sum to 1, as tickers; a held security without a ticker is an error. */
async function asTickers(reader: EntityReader, bySecurity: Map<string, number>, field: string): Promise<ResolvedPortfolio> {
  const held = [...bySecurity].filter(([, weight]) => weight > 0);
  const total = held.reduce((sum, [, weight]) => sum + weight, 0);
  if (held.length === 0 || !(total > 0)) throw new CalculationError(field, 'holds nothing with a positive weight');
  const securities = new Map((await reader.byIds('security', held.map(([id]) => id))).map((row) => [row.id, row.doc]));
  const byTicker = new Map<string, number>();
  for (const [id, weight] of held) {
    const ticker = securities.get(id)?.ticker;
    if (typeof ticker !== 'string') throw new CalculationError(field, `holds security ${id}, which has no ticker the caller can read`);
    byTicker.set(ticker, (byTicker.get(ticker) ?? 0) + weight / total);
  }
  const tickers = [...byTicker.keys()].sort();
  return { tickers, weights: tickers.map((t) => byTicker.get(t)!) };
}

function holdingLine(row: { doc: { date: string; security_id?: string } }, source: string, weight: number) {
  return { source, day: dayOf(String(row.doc.date)), at: String(row.doc.date), item: String(row.doc.security_id), weight };
}

/** A model's securities at their strategic weights (percent) of its latest holdings. */
async function modelWeights(reader: EntityReader, modelIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const rows = await reader.rows('model_holding', { where: { model_id: { in: modelIds } } });
  const result = new Map<string, Map<string, number>>(modelIds.map((id) => [id, new Map()]));
  for (const modelId of modelIds) {
    const lines = rows.filter((r) => r.doc.model_id === modelId).map((r) => holdingLine(r, modelId, Number(r.doc.strategic_weight)));
    for (const line of latestLines(lines)) result.get(modelId)!.set(line.item, (result.get(modelId)!.get(line.item) ?? 0) + line.weight / 100);
  }
  return result;
}

async function fromModel(reader: EntityReader, modelId: string): Promise<ResolvedPortfolio> {
  await reader.doc('model', modelId);
  return asTickers(reader, (await modelWeights(reader, [modelId])).get(modelId)!, 'model_id');
}

async function fromAllocation(reader: EntityReader, allocationId: string): Promise<ResolvedPortfolio> {
  await reader.doc('allocation', allocationId);
  const rows = await reader.rows('allocation_composition', { where: { allocation_id: allocationId } });
  const compositions = latestLines(rows.map((r) => ({ ...holdingLine(r, allocationId, Number(r.doc.strategic_weight)), item: String(r.doc.model_id) })));
  const models = await modelWeights(reader, [...new Set(compositions.map((c) => c.item))]);
  const bySecurity = new Map<string, number>();
  for (const composition of compositions) {
    for (const [securityId, weight] of models.get(composition.item)!) {
      bySecurity.set(securityId, (bySecurity.get(securityId) ?? 0) + (weight * composition.weight) / 100);
    }
  }
  return asTickers(reader, bySecurity, 'allocation_id');
}

/** Holdings of portfolios weighted by amount, or by shares at the last stored price when a line has no amount. */
async function fromPortfolios(reader: EntityReader, portfolioIds: readonly string[], field: string): Promise<ResolvedPortfolio> {
  const rows = portfolioIds.length === 0 ? [] : await reader.rows('portfolio_holding', { where: { portfolio_id: { in: portfolioIds } } });
  const held = latestLines(rows.map((r) => ({ ...holdingLine(r, String(r.doc.portfolio_id), 0), shares: Number(r.doc.shares), amount: r.doc.amount })));
  const unpriced = [...new Set(held.filter((h) => h.amount === undefined).map((h) => h.item))];
  const lastPrice = new Map<string, number>();
  if (unpriced.length > 0) {
    const prices = await reader.rows<'security_price', { security_id: string; price: number }>('security_price', {
      where: { security_id: { in: unpriced } },
      columns: (f) => `${f.text('security_id')} AS security_id, ${f.text('price')}::float8 AS price`,
      firstPer: (f) => f.text('security_id'),
      order: (f) => `${f.text('security_id')}, ${f.text('date')} DESC`,
    });
    for (const price of prices) lastPrice.set(price.security_id, Number(price.price));
  }
  const bySecurity = new Map<string, number>();
  for (const h of held) {
    const amount = h.amount ?? h.shares * (lastPrice.get(h.item) ?? 0);
    bySecurity.set(h.item, (bySecurity.get(h.item) ?? 0) + amount);
  }
  return asTickers(reader, bySecurity, field);
}

async function fromAccount(reader: EntityReader, accountId: string): Promise<ResolvedPortfolio> {
  await reader.doc('account', accountId);
  const portfolios = await reader.rows('portfolio', { where: { account_id: accountId } });
  return fromPortfolios(reader, portfolios.map((p) => p.id), 'account_id');
}

/** An aggregation account's latest holdings by ticker, weighted by amount or by shares × price. */
async function fromAggregationAccount(reader: EntityReader, id: string): Promise<ResolvedPortfolio> {
  await reader.doc('aggregation_account', id);
  const rows = await reader.rows('aggregation_account_holding', { where: { aggregation_account_id: id } });
  const dated = rows.map((r) => ({ row: r, day: r.doc.holding_date ? dayOf(String(r.doc.holding_date)) : '' }));
  const latest = dated.reduce((max, d) => (d.day > max ? d.day : max), '');
  const byTicker = new Map<string, number>();
  for (const { row, day } of dated) {
    if (day !== latest || typeof row.doc.ticker !== 'string') continue;
    const amount = typeof row.doc.amount === 'number' ? row.doc.amount : Number(row.doc.shares) * Number(row.doc.price ?? 0);
    if (amount > 0) byTicker.set(row.doc.ticker, (byTicker.get(row.doc.ticker) ?? 0) + amount);
  }
  const total = [...byTicker.values()].reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new CalculationError('aggregation_account_id', 'holds nothing with a ticker and a positive amount');
  const tickers = [...byTicker.keys()].sort();
  return { tickers, weights: tickers.map((t) => byTicker.get(t)! / total) };
}

/** The request field that names the portfolio, for rejections about its securities. */
export function sourceField(source: PortfolioSource): string {
  if (source.portfolio_tickers) return 'portfolio_tickers';
  for (const field of ['allocation_id', 'model_id', 'portfolio_id', 'account_id', 'aggregation_account_id'] as const) if (source[field]) return field;
  return 'portfolio_tickers';
}

/**
 * Tickers and weights of the portfolio a request names: stated tickers and weights first,
 * otherwise the first of allocation_id, model_id, portfolio_id, account_id and
 * aggregation_account_id given. Ids are read with the caller's rights (404 outside them).
 */
export async function resolvePortfolio(reader: EntityReader, source: PortfolioSource): Promise<ResolvedPortfolio> {
  if (source.portfolio_tickers) return statedPortfolio(source.portfolio_tickers, source.portfolio_weights);
  if (source.allocation_id) return fromAllocation(reader, source.allocation_id);
  if (source.model_id) return fromModel(reader, source.model_id);
  if (source.portfolio_id) {
    await reader.doc('portfolio', source.portfolio_id);
    return fromPortfolios(reader, [source.portfolio_id], 'portfolio_id');
  }
  if (source.account_id) return fromAccount(reader, source.account_id);
  if (source.aggregation_account_id) return fromAggregationAccount(reader, source.aggregation_account_id);
  throw new CalculationError('portfolio_tickers', 'name a portfolio: portfolio_tickers with portfolio_weights, or an allocation_id, model_id, portfolio_id, account_id or aggregation_account_id');
}
