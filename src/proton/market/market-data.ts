import { periodOf } from '../../platform/calendar/periods.ts';
import { CalculationError } from '../calculation-error.ts';
import type { EntityReader, Row } from '../../platform/read/entity-reader.ts';

export type MarketFrequency = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Periodic simple returns of each ticker, aligned on common dates. */
export interface AssetReturns {
  tickers: string[];
  /** The day each return ends on: the last common price day of its period. */
  dates: string[];
  /** returns[asset][period] */
  returns: Float64Array[];
  /** The day of the prices the first returns start from. */
  startDate?: string;
}

export interface MarketDataOptions {
  start_date?: string | null;
  end_date?: string | null;
  frequency: MarketFrequency;
  /** Read a security's prices from its proxy_id security when it has one. */
  use_proxy_data?: boolean;
  /** The request field holding the tickers, named by a rejection. */
  field?: string;
}

/** One security's prices by day, the last price of each day. */
export interface PriceSeries {
  ticker: string;
  securityId: string;
  days: string[];
  prices: number[];
}

/**
 * The field a rejection about one ticker names: the ticker's place in a list of tickers, or
 * the id field itself when the tickers came from a record (model_id, portfolio_id, ...).
 */
export function tickerField(field: string, index: number): string {
  return field.endsWith('_id') ? field : `${field}[${index}]`;
}

const MONDAY_OFFSET = [6, 0, 1, 2, 3, 4, 5];

/** The calendar's period of each frequency but the week, which the calendar does not have. */
const CALENDAR_PERIODS = { day: 'D', month: 'M', quarter: 'Q', year: 'Y' } as const;

/** The period a day falls in, as a key that sorts in time order; weeks start on Monday. */
export function periodKey(day: string, frequency: MarketFrequency): string {
  if (frequency !== 'week') return periodOf(day, CALENDAR_PERIODS[frequency]);
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - MONDAY_OFFSET[date.getUTCDay()]);
  return date.toISOString().slice(0, 10);
}

/** The securities carrying the tickers, in the caller's reach; when several carry one, the one created first. */
async function findSecurities(reader: EntityReader, tickers: readonly string[]): Promise<Map<string, Row<'security'>>> {
  const rows = await reader.rows('security', { where: { ticker: { in: [...new Set(tickers)] } }, order: (f) => `${f.column('create_date')}, ${f.column('id')}` });
  const found = new Map<string, Row<'security'>>();
  for (const row of rows) {
    const ticker = String(row.doc.ticker);
    if (!found.has(ticker)) found.set(ticker, row);
  }
  return found;
}

/** The securities named by the tickers; a ticker no security carries is rejected as `field[index]`. */
export async function securitiesByTicker(reader: EntityReader, tickers: readonly string[], field = 'tickers'): Promise<Map<string, Row<'security'>>> {
  const found = await findSecurities(reader, tickers);
  tickers.forEach((ticker, index) => {
    if (!found.has(ticker)) throw new CalculationError(tickerField(field, index), `no security has the ticker ${ticker}`);
  });
  return found;
}

/** The security of one ticker, rejected under the field itself when no security has it. */
export async function requireTicker(reader: EntityReader, ticker: string, field: string): Promise<Row<'security'>> {
  const found = (await findSecurities(reader, [ticker])).get(ticker);
  if (!found) throw new CalculationError(field, `no security has the ticker ${ticker}`);
  return found;
}

/**
 * Stored prices of securities within the dates, by security id, one per day in day order (a
 * later record of the same day corrects an earlier one). The adjusted price is used when a
 * record has one, so that splits and distributions do not show as returns.
 */
export async function pricesBySecurity(
  reader: EntityReader,
  securityIds: readonly string[],
  range: { start_date?: string | null; end_date?: string | null },
): Promise<Map<string, { days: string[]; prices: number[] }>> {
  const rows = await reader.rows<'security_price', { security_id: string; day: string; price: number }>('security_price', {
    where: { security_id: { in: securityIds } },
    and: (f, p) =>
      [
        range.start_date ? `${f.day('date')} >= ${p.add(range.start_date)}` : 'true',
        range.end_date ? `${f.day('date')} <= ${p.add(range.end_date)}` : 'true',
      ].join(' AND '),
    columns: (f) => `${f.text('security_id')} AS security_id, ${f.day('date')} AS day,
      COALESCE(${f.text('adjusted_price')}::float8, ${f.text('price')}::float8) AS price`,
    order: (f) => `${f.text('date')}, ${f.column('update_date')}`,
  });
  const byDay = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let days = byDay.get(row.security_id);
    if (!days) byDay.set(row.security_id, (days = new Map()));
    days.set(row.day, Number(row.price));
  }
  const result = new Map<string, { days: string[]; prices: number[] }>();
  for (const [id, days] of byDay) {
    const sorted = [...days.keys()].sort();
    result.set(id, { days: sorted, prices: sorted.map((day) => days.get(day)!) });
  }
  return result;
}

/** Each ticker's prices within the dates (from its proxy with use_proxy_data), as pricesBySecurity reads them. */
export async function loadPriceSeries(reader: EntityReader, tickers: readonly string[], options: Omit<MarketDataOptions, 'frequency'>): Promise<PriceSeries[]> {
  const field = options.field ?? 'tickers';
  const securities = await securitiesByTicker(reader, tickers, field);
  const priceSource = new Map<string, string>();
  for (const ticker of tickers) {
    const security = securities.get(ticker)!;
    const proxy = options.use_proxy_data ? security.doc.proxy_id : undefined;
    priceSource.set(ticker, typeof proxy === 'string' ? proxy : security.id);
  }
  const bySecurity = await pricesBySecurity(reader, [...new Set(priceSource.values())], options);
  return tickers.map((ticker) => {
    const securityId = priceSource.get(ticker)!;
    const prices = bySecurity.get(securityId) ?? { days: [], prices: [] };
    return { ticker, securityId, ...prices };
  });
}

/**
 * Simple returns per period between the last prices of consecutive periods on which every
 * ticker has a price. A ticker with fewer than two priced periods in the window, or a set
 * of tickers with fewer than two periods in common, cannot give a return.
 */
export function alignReturns(series: readonly PriceSeries[], frequency: MarketFrequency, field = 'tickers'): AssetReturns {
  const lastByPeriod = series.map((s, index) => {
    const periods = new Map<string, { day: string; price: number }>();
    s.days.forEach((day, i) => {
      if (!(s.prices[i] > 0)) throw new CalculationError(tickerField(field, index), `${s.ticker} has a price that is not positive on ${day}`);
      periods.set(periodKey(day, frequency), { day, price: s.prices[i] });
    });
    if (periods.size < 2) throw new CalculationError(tickerField(field, index), `${s.ticker} has prices in fewer than two ${frequency} periods between start_date and end_date`);
    return periods;
  });
  const common = [...lastByPeriod[0].keys()].filter((key) => lastByPeriod.every((periods) => periods.has(key))).sort();
  if (common.length < 2) throw new CalculationError('start_date', `the tickers have prices in common in fewer than two ${frequency} periods of the window`);
  const dates = common.slice(1).map((key) => lastByPeriod.map((periods) => periods.get(key)!.day).sort().pop()!);
  const returns = lastByPeriod.map((periods) => {
    const out = new Float64Array(common.length - 1);
    for (let t = 1; t < common.length; t++) out[t - 1] = periods.get(common[t])!.price / periods.get(common[t - 1])!.price - 1;
    return out;
  });
  const startDate = lastByPeriod.map((periods) => periods.get(common[0])!.day).sort().pop()!;
  return { tickers: series.map((s) => s.ticker), dates, returns, startDate };
}

export async function loadAssetReturns(reader: EntityReader, tickers: string[], options: MarketDataOptions): Promise<AssetReturns> {
  if (tickers.length === 0) throw new CalculationError(options.field ?? 'tickers', 'name at least one ticker');
  const series = await loadPriceSeries(reader, tickers, options);
  return alignReturns(series, options.frequency, options.field);
}

/** Market data is read from Nucleus; no outside provider is wired in. */
export function requireNucleusData(source: string | undefined): void {
  if (source === 'integration') throw new CalculationError('market_data_source', 'no market-data integration is configured on this server; use nucleus');
}
