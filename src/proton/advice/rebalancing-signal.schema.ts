import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';

const weightsByTicker = (description: string) => Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), { description });

const Settings = Type.Object(
  {
    drift_rebal: Type.Optional(Type.Boolean({ description: "Rebalance on any day a weight has left its band; the model's drift_rebal when omitted, else false" })),
    period_rebal: Type.Optional(Type.Boolean({ description: "Rebalance on the first price day of each rebalance_period; the model's period_rebal when omitted, else false" })),
    rebalance_period: Type.Optional(
      Type.Unsafe<0 | 1 | 2 | 3 | 4>({
        type: 'integer',
        format: 'int32',
        enum: [0, 1, 2, 3, 4],
        description: "How often a period rebalance falls due: 0 yearly, 1 half-yearly, 2 quarterly, 3 monthly, 4 weekly; the model's rebalance_period when omitted",
      }),
    ),
    default_drift_factor: Type.Optional(
      Type.Number({ minimum: 0, description: "A holding's band, as a fraction of its target weight, when its model holding has no drift_factor; the model's default_drift_factor when omitted" }),
    ),
    downside: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility; not applied to the signals' })),
    tax_efficiency_id: Type.Optional(Type.Unsafe<0 | 1 | 2 | 3 | 4>({ type: 'integer', format: 'int32', enum: [0, 1, 2, 3, 4], description: 'Accepted for compatibility; not applied to the signals' })),
  },
  { additionalProperties: false, title: 'RebalancingSettings' },
);

export const RebalancingSignalRequest = defaultsOptional(
  Type.Object(
    {
      start_date: Type.String({ format: 'date', description: 'First price day considered; the weights start here' }),
      end_date: Type.String({ format: 'date', description: 'Last price day considered' }),
      model_id: Type.Optional(Type.String({ format: 'uuid', description: "The model whose latest strategic weights are the targets, and whose settings apply where settings leaves them out" })),
      initial_weights: Type.Optional(weightsByTicker('Starting weight by ticker, summing to 1; the targets when omitted. Without a model_id they are also the targets')),
      settings: Type.Optional(Settings),
      update_model: Type.Boolean({ default: false, description: 'Accepted for compatibility; Deuterium does not write the drifted weights back to the model yet' }),
    },
    { additionalProperties: false },
  ),
);

export const RebalancingSignalResponse = Type.Object(
  {
    rebalance_signals: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date', description: 'The price day the rebalance falls on' }),
          trigger: Type.Unsafe<'period' | 'drift'>({ type: 'string', enum: ['period', 'drift'], description: 'period: the first price day of a new period (also when a weight drifted that day); drift: a weight left its band' }),
          drifted_tickers: Type.Array(Type.String(), { description: 'The tickers whose weight was outside its band that day' }),
          weights_before: weightsByTicker('The drifted weights, before rebalancing'),
          trades: Type.Record(Type.String(), Type.Number(), { description: 'Target minus drifted weight by ticker: positive to buy, negative to sell, as fractions of the portfolio' }),
        },
        { additionalProperties: false, title: 'RebalancingSignal' },
      ),
      { description: 'Each rebalance, in date order; after each the weights are the targets again' },
    ),
    target_weights: weightsByTicker('The weights rebalanced to'),
    drift_bands: Type.Record(Type.String(), Type.Number({ minimum: 0 }), { description: "Each ticker's band: its weight is off when |weight − target| > band × target" }),
    ending_weights: weightsByTicker('The weights on the last price day'),
    settings: Type.Object(
      {
        drift_rebal: Type.Boolean({ description: 'Whether drift outside a band triggered rebalances' }),
        period_rebal: Type.Boolean({ description: 'Whether each new period triggered a rebalance' }),
        rebalance_period: Type.Union([Type.Integer({ minimum: 0, maximum: 4 }), Type.Null()], { description: 'The rebalance_period applied (0 yearly to 4 weekly); null without period rebalancing' }),
      },
      { additionalProperties: false, title: 'RebalancingSettingsUsed', description: 'The settings applied, after those of the model' },
    ),
    start_date: Type.String({ format: 'date', description: 'The first price day all the tickers share within the dates' }),
    end_date: Type.String({ format: 'date', description: 'The last price day all the tickers share within the dates' }),
  },
  { additionalProperties: false, title: 'RebalancingSignalResult' },
);
