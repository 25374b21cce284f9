/**
 * Hand-written requests for Proton's portfolio operations. Every one of them reads stored
 * prices, so the first builder that runs creates a small market over the API: three
 * securities with forty daily prices each, a benchmark on the first and a model holding
 * all three. Later builders reuse it. Preparation is never judged; a failed step is
 * reported as the operation not exercised.
 */
import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../test/support/server.ts';
import { isObject, serverMessage } from './judge.ts';
import type { Builder, HandWrittenRequest, RequestKit } from './requests.ts';

type Call = RequestKit['request'];

class PrepareError extends Error {}

interface Market {
  tickers: string[];
  securityIds: string[];
  benchmarkId: string;
  modelId: string;
  start: string;
  end: string;
}

const DAYS = 40;
const FIRST_DAY = Date.UTC(2024, 2, 1);
const day = (offset: number) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);

async function create(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  const result: HttpResult<unknown> = await call('POST', `/nucleus/v1/${entity}`, body);
  if (result.status !== 201 || !isObject(result.body)) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}${serverMessage(result.body)}`);
  return result.body.id as string;
}

/** Prices that wander by a different smooth pattern per security, so no two move together. */
function prices(k: number): number[] {
  const out = [100];
  for (let t = 1; t < DAYS; t++) out.push(out[t - 1] * (1 + 0.01 * Math.sin(t * (k + 1.3) + k) + 0.0005 * (k + 1)));
  return out;
}

async function buildMarket(call: Call): Promise<Market> {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const tickers = ['EQ', 'BD', 'CM'].map((t) => `${t}${tag}`);
  const securityIds: string[] = [];
  for (const [k, ticker] of tickers.entries()) {
    const id = await create(call, 'security', { name: `Conformance ${ticker}`, ticker, asset_class: k === 1 ? 'bond' : 'equity' });
    securityIds.push(id);
    const series = prices(k);
    for (let t = 0; t < DAYS; t++) await create(call, 'security_price', { security_id: id, price: series[t], date: `${day(t)}T00:00:00.000Z` });
  }
  const benchmarkId = await create(call, 'benchmark', { name: `Conformance ${tag}`, composition: [{ security_id: securityIds[0], weight: 100 }] });
  const modelId = await create(call, 'model', { name: `Conformance ${tag}` });
  for (const [k, security_id] of securityIds.entries()) {
    await create(call, 'model_holding', { model_id: modelId, security_id, strategic_weight: [50, 30, 20][k], current_weight: [50, 30, 20][k], date: day(0) });
  }
  return { tickers, securityIds, benchmarkId, modelId, start: day(0), end: day(DAYS - 1) };
}

const markets = new WeakMap<Call, Promise<Market>>();

/** The market of this run, built on first use. */
function market(call: Call): Promise<Market> {
  let built = markets.get(call);
  if (!built) markets.set(call, (built = buildMarket(call)));
  return built;
}

const withMarket =
  (make: (m: Market) => Record<string, unknown>): Builder =>
  async (kit): Promise<HandWrittenRequest | { error: string }> => {
    try {
      return { body: make(await market(kit.request)) };
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

const W_CONFIG = { w_min_major: 0, w_max_major: 0.7, w_min_minor: 0, w_max_minor: 0.3, cash_amount: 0 };

export const PROTON_PORTFOLIO_REQUESTS: [RegExp, Builder][] = [
  [
    /^POST \/proton\/v1\/mvo$/,
    withMarket((m) => ({ tickers: m.tickers, sec_types: ['major', 'major', 'minor'], w_config: W_CONFIG, min_assets: 2, tgt_type: 'risk', tgt_val: 0.5 })),
  ],
  [/^POST \/proton\/v1\/performance_calculator$/, withMarket((m) => ({ stat_name: 'beta', security_id: m.securityIds[1], benchmark_id: m.benchmarkId }))],
  [
    /^POST \/proton\/v1\/backtest$/,
    withMarket((m) => ({ model_id: m.modelId, start_date: m.start, end_date: m.end, settings: { period_rebal: true, rebalance_period: 4 } })),
  ],
  [/^POST \/proton\/v1\/event_study$/, withMarket((m) => ({ portfolio_tickers: m.tickers, portfolio_weights: [0.5, 0.3, 0.2], events: ['brexit'] }))],
  [
    /^POST \/proton\/v1\/portfolio_what_if$/,
    withMarket((m) => ({ current_portfolio_tickers: m.tickers, current_portfolio_weights: [0.5, 0.3, 0.2], altered_portfolio_weights: [0.2, 0.3, 0.5] })),
  ],
  [
    /^POST \/proton\/v1\/sensitivity_analysis$/,
    withMarket((m) => ({
      portfolio_tickers: m.tickers.slice(0, 2),
      portfolio_weights: [0.6, 0.4],
      frequency_interval: 'day',
      sensitivity_factor: { ticker: m.tickers[2], change_amount: -0.1, change_duration: 5, lag: 0 },
    })),
  ],
  [
    /^POST \/proton\/v1\/scenario_analysis$/,
    withMarket((m) => ({
      model_id: m.modelId,
      frequency_interval: 'day',
      scenario: [
        { ticker: m.tickers[1], change_amount: 0.05, change_duration: 3, lag: 0 },
        { ticker: m.tickers[2], change_amount: -0.1, change_duration: 5, lag: 1 },
      ],
    })),
  ],
  [
    /^POST \/proton\/v1\/risk_allocation$/,
    withMarket((m) => ({ allocation_method: 'create', risk_score: 40, opt_config: { tickers: m.tickers, sec_types: ['major', 'major', 'minor'], w_config: W_CONFIG, min_assets: 2 } })),
  ],
];
