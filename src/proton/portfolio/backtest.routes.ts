import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { CalculationError } from '../calculation-error.ts';
import { Decimal, cents } from '../money.ts';
import { loadPriceSeries, requireTicker } from '../market/market-data.ts';
import { resolvePortfolio, statedPortfolio, type ResolvedPortfolio } from '../market/portfolio-source.ts';
import { annualisedVolatility, maxDrawdown } from './performance-stats.ts';
import { holdingRows, REBALANCE_PERIODS, simulate, type PricedDay } from './backtest.ts';
import { BacktestRequest, BacktestResponse } from './backtest.schema.ts';

type Body = Static<typeof BacktestRequest>;

function aligned(tickers: readonly string[], portfolio: ResolvedPortfolio): number[] {
  return tickers.map((t) => {
    const i = portfolio.tickers.indexOf(t);
    return i < 0 ? 0 : portfolio.weights[i];
  });
}

export function backtestRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/backtest',
    operationId: 'backtest',
    tag: 'Simulations',
    summary: 'Historical simulation of a model with its rebalancing rules',
    description:
      'Invests asset_size at the starting weights on the first priced day and follows the holdings over stored prices to end_date, rebalancing to the target weights by period or on drift; reports the value series, holdings, trades and statistics. Formulas: docs/proton-portfolio.md.',
    body: BacktestRequest,
    response: BacktestResponse,
    solve: async (body, auth) => {
      if (body.end_date <= body.start_date) throw new CalculationError('end_date', 'must come after start_date');
      const reader = EntityReader.asCaller(nucleus, auth);
      const initial = body.initial_weights ? statedPortfolio(Object.keys(body.initial_weights), Object.values(body.initial_weights), { tickers: 'initial_weights', weights: 'initial_weights' }) : undefined;
      for (const ticker of initial?.tickers ?? []) await requireTicker(reader, ticker, `initial_weights.${ticker}`);
      const model = body.model_id ? await reader.doc('model', body.model_id) : undefined;
      const target = body.model_id ? await resolvePortfolio(reader, { model_id: body.model_id }) : initial;
      if (!target) throw new CalculationError('model_id', 'name a model_id or give initial_weights');
      const tickers = [...new Set([...target.tickers, ...(initial?.tickers ?? [])])].sort();
      const settings = { ...model, ...body.settings } as NonNullable<Body['settings']>;
      const series = await loadPriceSeries(reader, tickers, { start_date: body.start_date, end_date: body.end_date, field: body.initial_weights ? 'initial_weights' : 'model_id' });
      const priced = series.map((s) => new Map(s.days.map((d, i) => [d, s.prices[i]])));
      const days: PricedDay[] = series[0].days
        .filter((day) => priced.every((p) => p.has(day)))
        .map((date) => ({ date, prices: priced.map((p) => new Decimal(p.get(date)!)) }));
      if (days.length < 2) throw new CalculationError('start_date', 'fewer than two days between start_date and end_date have a price for every ticker');
      const outcome = simulate(days, aligned(tickers, initial ?? target), aligned(tickers, target), body.asset_size, {
        periodRebalance: settings.period_rebal ? REBALANCE_PERIODS[settings.rebalance_period ?? 0] : undefined,
        driftLimit: settings.drift_rebal ? (settings.default_drift_factor ?? 0) : undefined,
      });
      const values = outcome.values;
      const ending = values[values.length - 1].value;
      const daily = values.slice(1).map((v, t) => (values[t].value.isZero() ? 0 : v.value.div(values[t].value).toNumber() - 1));
      const cumulative = body.asset_size > 0 ? ending.div(body.asset_size).toNumber() - 1 : 0;
      const calendarDays = (Date.parse(days[days.length - 1].date) - Date.parse(days[0].date)) / 86_400_000;
      return {
        tickers,
        target_weights: aligned(tickers, target),
        start_date: days[0].date,
        end_date: days[days.length - 1].date,
        ending_value: cents(ending),
        ...(body.asset_sizes ? { asset_sizes: values.map((v) => ({ date: v.date, value: cents(v.value) })) } : {}),
        ...(body.holdings ? { holdings: holdingRows(outcome, tickers) } : {}),
        ...(body.trades
          ? { trades: outcome.trades.map((t) => ({ date: t.date, ticker: tickers[t.ticker], shares: t.shares.toNumber(), amount: cents(t.amount), reason: t.reason })) }
          : {}),
        ...(body.stats
          ? {
              stats: {
                cumulative_return: cumulative,
                annualized_return: (1 + cumulative) ** (365 / calendarDays) - 1,
                annualized_volatility: annualisedVolatility(daily, 252),
                max_drawdown: maxDrawdown(daily),
                rebalances: outcome.rebalances,
              },
            }
          : {}),
      };
    },
  });
}
