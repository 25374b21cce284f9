import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { createLogField, marketDataSource, nullableId, nullableTickers, nullableWeights, useProxyData } from './portfolio-fields.ts';

export const WhatIfRequest = defaultsOptional(
  Type.Object(
    {
      current_portfolio_tickers: nullableTickers('Tickers of the current portfolio, given with current_portfolio_weights; these take precedence over the ids'),
      current_portfolio_weights: nullableWeights('Weights of current_portfolio_tickers'),
      altered_portfolio_tickers: nullableTickers("Tickers of the altered portfolio; null for the current portfolio's tickers"),
      altered_portfolio_weights: Type.Array(Type.Number({ minimum: 0 }), { minItems: 1, description: 'Weights of the altered portfolio, one per altered ticker, summing to 1' }),
      allocation_id: nullableId('allocation', "; the current portfolio is its latest composition's models at their strategic weights"),
      model_id: nullableId('model', '; the current portfolio is its latest holdings at their strategic weights'),
      portfolio_id: nullableId('portfolio', '; the current portfolio is its latest holdings weighted by amount'),
      account_id: nullableId('account', "; the current portfolio is its portfolios' latest holdings"),
      aggregation_account_id: nullableId('aggregation_account', '; the current portfolio is its latest holdings with a ticker'),
      start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'First day of prices used; null for no limit' }),
      end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'Last day of prices used; null for no limit' }),
      market_data_source: marketDataSource(),
      use_proxy_data: useProxyData(),
      create_log: createLogField(),
    },
    { additionalProperties: false },
  ),
);

const Statistics = Type.Object(
  {
    tickers: Type.Array(Type.String()),
    weights: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { description: 'Weight of each ticker, in the same order' }),
    annual_return: fractionOut('Expected annual return: 252 × the mean daily return'),
    annual_risk: fractionOut('Annual risk: √252 × the standard deviation of daily returns'),
  },
  { additionalProperties: false, title: 'WhatIfPortfolio' },
);

export const WhatIfResponse = Type.Object(
  {
    current_portfolio: Statistics,
    altered_portfolio: Statistics,
    change: Type.Object(
      {
        annual_return: fractionOut('Altered minus current annual return'),
        annual_risk: fractionOut('Altered minus current annual risk'),
      },
      { additionalProperties: false, title: 'WhatIfChange' },
    ),
    start_date: Type.String({ format: 'date', description: 'First day whose return was used' }),
    end_date: Type.String({ format: 'date', description: 'Last day whose return was used' }),
    periods: Type.Integer({ minimum: 1, description: 'Daily returns used, on the days every ticker of both portfolios has a price' }),
  },
  { additionalProperties: false },
);
