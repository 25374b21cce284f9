import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import { EntityReader, type DocOf } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { alignReturns, loadPriceSeries, WEIGHT_SUM_TOLERANCE } from '../market/portfolio-statistics.ts';
import { modelTargets } from './model-targets.ts';
import { REBALANCE_PERIODS, rebalancingSignals } from './rebalancing-signal.ts';
import { RebalancingSignalRequest, RebalancingSignalResponse } from './rebalancing-signal.schema.ts';

type Body = Static<typeof RebalancingSignalRequest>;

const byTicker = (tickers: readonly string[], values: readonly number[]) => Object.fromEntries(tickers.map((t, i) => [t, values[i]]));

/** The model's rebalance_period is any integer; only 0 to 4 say how often. */
const isRebalancePeriod = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < REBALANCE_PERIODS.length;

function checkedWeights(weights: Record<string, number>): Map<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) throw new CalculationError('initial_weights', `must sum to 1 (they sum to ${sum})`);
  return new Map(Object.entries(weights));
}

/**
 * The market data rejects a ticker by its place in the list it was given; the request names
 * it as a key of initial_weights, or else through the model's holdings.
 */
async function namingTickers<T>(tickers: readonly string[], initialWeights: Map<string, number> | undefined, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const place = error instanceof CalculationError ? /^tickers\[(\d+)\]$/.exec(error.field) : null;
    if (!place) throw error;
    const ticker = tickers[Number(place[1])];
    throw new CalculationError(initialWeights?.has(ticker) ? `initial_weights.${ticker}` : 'model_id', (error as CalculationError).problem);
  }
}

export function rebalancingSignalRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/rebalancing_signal',
    operationId: 'rebalancingSignal',
    tag: 'Portfolio Management',
    summary: 'When a portfolio held at target weights would have been rebalanced',
    description:
      "From the initial weights, each weight grows with its security's daily return (from Nucleus prices, the adjusted price where there " +
      'is one) and the weights are rescaled to sum to 1. With period_rebal, the weights return to target on the first price day of each ' +
      'new period; with drift_rebal, on any day a weight w is off its target t by more than its band f (|w − t| > f × t), where f is ' +
      "the model holding's drift_factor or else default_drift_factor. Settings left out are the model's.",
    body: RebalancingSignalRequest,
    response: RebalancingSignalResponse,
    solve: async (body, auth) => {
      if (body.start_date > body.end_date) throw new CalculationError('start_date', 'is after end_date');
      const reader = EntityReader.asCaller(nucleus, auth);
      const model = body.model_id ? await modelTargets(reader, body.model_id) : undefined;
      const initialWeights = body.initial_weights ? checkedWeights(body.initial_weights) : undefined;
      const targetWeights = model?.weights ?? initialWeights;
      if (!targetWeights) throw new CalculationError('model_id', 'name a model, or give initial_weights, to rebalance to');
      const initial = initialWeights ?? targetWeights;
      const tickers = [...new Set([...targetWeights.keys(), ...initial.keys()])].sort();

      const settings = body.settings ?? {};
      const stored: Partial<DocOf<'model'>> = model?.model ?? {};
      const driftRebal = settings.drift_rebal ?? stored.drift_rebal === true;
      const periodRebal = settings.period_rebal ?? stored.period_rebal === true;
      const rebalancePeriod = settings.rebalance_period ?? stored.rebalance_period;
      if (periodRebal && !isRebalancePeriod(rebalancePeriod)) {
        throw new CalculationError('settings.rebalance_period', `give one of 0 to 4 for period rebalancing${rebalancePeriod === undefined ? '' : ` (the model has ${rebalancePeriod})`}`);
      }
      const defaultBand = settings.default_drift_factor ?? stored.default_drift_factor;
      const bands = tickers.map((ticker) => {
        const band = model?.driftFactors.get(ticker) ?? defaultBand;
        if (driftRebal && !(typeof band === 'number' && band >= 0)) throw new CalculationError('settings.default_drift_factor', `give a band for ${ticker}, whose model holding has no drift_factor`);
        return band ?? 0;
      });

      const { series, returns } = await namingTickers(tickers, initialWeights, async () => {
        const series = await loadPriceSeries(reader, tickers, { start_date: body.start_date, end_date: body.end_date });
        return { series, returns: alignReturns(series, 'day') };
      });
      const shared = series.map((s) => new Set(s.days));
      const firstDay = series[0].days.find((day) => shared.every((days) => days.has(day)))!;
      const targets = tickers.map((t) => targetWeights.get(t) ?? 0);
      const { signals, ending } = rebalancingSignals({
        returns: returns.returns,
        dates: returns.dates,
        initial: tickers.map((t) => initial.get(t) ?? 0),
        targets,
        bands,
        driftRebalance: driftRebal,
        period: periodRebal && isRebalancePeriod(rebalancePeriod) ? REBALANCE_PERIODS[rebalancePeriod] : null,
      });
      return {
        rebalance_signals: signals.map((signal) => ({
          date: signal.date,
          trigger: signal.trigger,
          drifted_tickers: signal.drifted.map((a) => tickers[a]),
          weights_before: byTicker(tickers, signal.before),
          trades: byTicker(tickers, signal.before.map((w, a) => targets[a] - w)),
        })),
        target_weights: byTicker(tickers, targets),
        drift_bands: byTicker(tickers, bands),
        ending_weights: byTicker(tickers, ending),
        settings: { drift_rebal: driftRebal, period_rebal: periodRebal, rebalance_period: periodRebal && isRebalancePeriod(rebalancePeriod) ? rebalancePeriod : null },
        start_date: firstDay,
        end_date: returns.dates[returns.dates.length - 1],
      };
    },
  });
}
