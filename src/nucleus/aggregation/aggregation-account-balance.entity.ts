import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'aggregation_account_balance',
  title: 'AggregationAccountBalance',
  tag: 'AggregationAccount',
  webhookService: 'aggregation_account_balance',
  references: {
    aggregation_account_id: 'aggregation_account',
  },
  schema: Type.Object({
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    aggregation_account_id: Type.Optional(Type.String({ format: 'uuid' })),
    available_balance: Type.Optional(Type.Number()),
    available_credit: Type.Optional(Type.Number()),
    balance: Type.Optional(Type.Number()),
    balance_time_stamp: Type.Optional(Type.String({ format: 'date-time' })),
    is_active: Type.Optional(Type.Boolean({ default: true })),
  }),
});
