import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'funding_transaction',
  title: 'FundingTransaction',
  tag: 'Funding',
  references: {
    account_id: 'account',
    funding_id: 'funding',
    portfolio_id: 'portfolio',
    portfolio_transaction_id: 'portfolio_transaction',
  },
  schema: Type.Object({
    amount: Type.Number(),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    funding_id: Type.String({ format: 'uuid' }),
    is_deposit: Type.Boolean(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    comments: Type.Optional(Type.String()),
    fees: Type.Optional(Type.Number()),
    invested_date: Type.Optional(Type.String({ format: 'date-time' })),
    last_request_date: Type.Optional(Type.String({ format: 'date-time' })),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
    portfolio_transaction_id: Type.Optional(Type.String({ format: 'uuid' })),
    received_date: Type.Optional(Type.String({ format: 'date-time' })),
    status: Type.Optional(Type.String()),
    status_time_stamp: Type.Optional(Type.String({ format: 'date-time' })),
    type: Type.Optional(Type.String()),
  }),
});
