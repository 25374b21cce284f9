import { Type } from 'typebox';
import type { EntityName } from '../../platform/entity/entity-records.ts';

/** Request fields that several portfolio operations share, so they mean the same everywhere. */

export function nullableId(entity: EntityName, extra = '') {
  return Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    default: null,
    description: `Id of a Nucleus ${entity} the caller may read (404 otherwise)${extra}`,
  });
}

export function nullableDate(description: string) {
  return Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: `${description} (YYYY-MM-DD); null for no limit` });
}

export const marketDataSource = () =>
  Type.Union([Type.Literal('nucleus'), Type.Literal('integration')], {
    default: 'nucleus',
    description: 'Where prices come from: nucleus reads security and security_price records; integration is refused, as no market-data integration is configured',
  });

export const useProxyData = () => Type.Boolean({ default: false, description: "Read a security's prices from its proxy_id security when it has one" });

export const tickerList = (description: string) => Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description });

export function nullableTickers(description: string) {
  return Type.Union([tickerList(description), Type.Null()], { default: null, description });
}

export function nullableWeights(description: string) {
  return Type.Union([Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 }), Type.Null()], { default: null, description: `${description}; fractions summing to 1, one per ticker` });
}

export const MARKET_FREQUENCIES = ['year', 'quarter', 'month', 'week', 'day'] as const;

/** The portfolio-naming fields of proton.yaml: stated tickers and weights, or a Nucleus record whose latest holdings give them. */
export function portfolioSourceFields() {
  return {
    portfolio_tickers: nullableTickers('Tickers of the portfolio, given with portfolio_weights; these take precedence over the ids'),
    portfolio_weights: nullableWeights('Weights of portfolio_tickers'),
    allocation_id: nullableId('allocation', "; its latest composition's models at their strategic weights"),
    model_id: nullableId('model', '; its latest holdings at their strategic weights'),
    portfolio_id: nullableId('portfolio', '; its latest holdings weighted by amount'),
    account_id: nullableId('account', "; its portfolios' latest holdings weighted by amount"),
    aggregation_account_id: nullableId('aggregation_account', '; its latest holdings with a ticker, weighted by amount'),
    market_data_source: marketDataSource(),
    use_proxy_data: useProxyData(),
  };
}

export const createLogField = () => Type.Boolean({ default: false, description: 'Accepted for compatibility; Deuterium stores nothing about an analysis' });
