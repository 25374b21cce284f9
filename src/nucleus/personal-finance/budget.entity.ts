import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const BudgetAggregationAccount = Type.Object(
  {
    aggregation_account_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'BudgetAggregationAccount' },
);

const BudgetObject = Type.Object(
  {
    category: Type.String(),
    value: Type.Number(),
    subcategory: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'BudgetObject' },
);

export default defineEntity({
  name: 'budget',
  title: 'Budget',
  tag: 'Budget',
  webhookService: 'budget',
  references: {
    account_id: 'account',
    'aggregation_accounts[].aggregation_account_id': 'aggregation_account',
    card_id: 'card',
    client_id: 'client',
    goal_id: 'goal',
  },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    frequency_unit: Type.String(),
    name: Type.String(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    aggregation_accounts: Type.Optional(Type.Array(BudgetAggregationAccount)),
    budget: Type.Optional(Type.Array(BudgetObject)),
    card_id: Type.Optional(Type.String({ format: 'uuid' })),
    end_date: Type.Optional(Type.String({ format: 'date' })),
    frequency: Type.Optional(Type.Integer()),
    goal_id: Type.Optional(Type.String({ format: 'uuid' })),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    start_date: Type.Optional(Type.String({ format: 'date' })),
    total_value: Type.Optional(Type.Number()),
  }),
});
