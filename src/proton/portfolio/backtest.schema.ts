import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut, moneyOut } from '../response-fields.ts';

const Settings = Type.Object(
  {
    drift_rebal: Type.Optional(Type.Boolean({ description: 'Rebalance to the target weights whenever a weight drifts from its target by more than default_drift_factor' })),
    default_drift_factor: Type.Optional(Type.Number({ minimum: 0, description: 'Largest drift of a weight from its target before drift_rebal rebalances, as a fraction (0.05 = 5 points)' })),
    period_rebal: Type.Optional(Type.Boolean({ description: 'Rebalance to the target weights on the first priced day of each rebalance_period' })),
    rebalance_period: Type.Optional(
      Type.Unsafe<0 | 1 | 2 | 3 | 4>({ type: 'integer', enum: [0, 1, 2, 3, 4], description: 'Period of period_rebal: 0 yearly, 1 half-yearly, 2 quarterly, 3 monthly, 4 weekly' }),
    ),
    downside: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility; downside protection is not simulated' })),
    tax_efficiency_id: Type.Optional(Type.Unsafe<0 | 1 | 2 | 3 | 4>({ type: 'integer', enum: [0, 1, 2, 3, 4], description: 'Accepted for compatibility; taxes are not simulated' })),
  },
  { additionalProperties: false, title: 'BacktestSettings', description: "Rebalancing settings; each one left out is taken from the model's record" },
);

export const BacktestRequest = defaultsOptional(
  Type.Object(
    {
      model_id: Type.Optional(Type.String({ format: 'uuid', description: "Model whose latest strategic weights are the targets (404 when the caller cannot read it)" })),
      initial_weights: Type.Union([Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 })), Type.Null()], {
        default: null,
        description: "Starting weights by ticker, summing to 1; without model_id they are also the targets. Null to start at the model's weights",
      }),
      start_date: Type.String({ format: 'date', description: 'First day of the backtest' }),
      end_date: Type.String({ format: 'date', description: 'Last day of the backtest' }),
      asset_size: Type.Number({ minimum: 0, default: 1000, description: 'Money invested on the first day' }),
      settings: Type.Optional(Settings),
      asset_sizes: Type.Boolean({ default: true, description: 'Report the value on each day' }),
      holdings: Type.Boolean({ default: true, description: 'Report the holdings after each day of trading' }),
      trades: Type.Boolean({ default: true, description: 'Report every trade' }),
      stats: Type.Boolean({ default: true, description: 'Report return and risk statistics' }),
    },
    { additionalProperties: false },
  ),
);

const Holding = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    ticker: Type.String(),
    shares: Type.Number({ description: 'Units held after the day’s trades, unrounded' }),
    amount: moneyOut('Value of the units at the day’s price'),
    weight: fractionOut('Share of the portfolio value'),
  },
  { additionalProperties: false, title: 'BacktestHolding' },
);

const Trade = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    ticker: Type.String(),
    shares: Type.Number({ description: 'Units bought (positive) or sold (negative), unrounded' }),
    amount: moneyOut('Money paid (positive) or received (negative) at the day’s price'),
    reason: Type.Union([Type.Literal('initial'), Type.Literal('period'), Type.Literal('drift')], { description: 'What caused the trade' }),
  },
  { additionalProperties: false, title: 'BacktestTrade' },
);

export const BacktestResponse = Type.Object(
  {
    tickers: Type.Array(Type.String(), { description: 'The securities traded' }),
    target_weights: Type.Array(Type.Number(), { description: 'Target weight of each ticker, in the same order' }),
    start_date: Type.String({ format: 'date', description: 'First priced day simulated' }),
    end_date: Type.String({ format: 'date', description: 'Last priced day simulated' }),
    ending_value: moneyOut('Value on the last day'),
    asset_sizes: Type.Optional(Type.Array(Type.Object({ date: Type.String({ format: 'date' }), value: moneyOut('Value of the holdings') }, { additionalProperties: false, title: 'BacktestAssetSize' }))),
    holdings: Type.Optional(Type.Array(Holding, { description: 'Holdings after the first day and after each rebalance, and on the last day' })),
    trades: Type.Optional(Type.Array(Trade)),
    stats: Type.Optional(
      Type.Object(
        {
          cumulative_return: fractionOut('Ending value / asset_size − 1'),
          annualized_return: fractionOut('(1 + cumulative_return)^(365 / calendar days) − 1'),
          annualized_volatility: fractionOut('√252 × standard deviation of the daily returns'),
          max_drawdown: fractionOut('Deepest fall of the value below its running peak (≤ 0)'),
          rebalances: Type.Integer({ minimum: 0, description: 'Rebalances after the first day' }),
        },
        { additionalProperties: false, title: 'BacktestStats' },
      ),
    ),
  },
  { additionalProperties: false },
);
