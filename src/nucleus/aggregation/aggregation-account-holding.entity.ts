import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'aggregation_account_holding',
  title: 'AggregationAccountHolding',
  tag: 'AggregationAccount',
  webhookService: 'aggregation_account_holding',
  references: {
    aggregation_account_id: 'aggregation_account',
  },
  schema: Type.Object({
    shares: Type.Number(),
    aggregation_account_id: Type.Optional(Type.String({ format: 'uuid' })),
    amount: Type.Optional(Type.Number()),
    asset_class: Type.Optional(Type.String()),
    cost_basis: Type.Optional(Type.Number()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    cusip: Type.Optional(Type.String()),
    exchange: Type.Optional(Type.String()),
    holding_date: Type.Optional(Type.String({ format: 'date-time' })),
    holding_type: Type.Optional(Type.String()),
    isin: Type.Optional(Type.String()),
    price: Type.Optional(Type.Number()),
    ticker: Type.Optional(Type.String()),
    ticker_name: Type.Optional(Type.String()),
  }),
});
