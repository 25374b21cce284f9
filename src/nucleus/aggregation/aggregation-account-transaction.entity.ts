import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const Location = Type.Object(
  {
    address_line1: Type.Optional(Type.String()),
    address_line2: Type.Optional(Type.String()),
    city: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    latitude: Type.Optional(Type.Number()),
    longitude: Type.Optional(Type.Number()),
    postalcode: Type.Optional(Type.String()),
    state: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'Location' },
);

const BankCredit = Type.Object(
  {
    amount: Type.Number(),
    transaction_type: Type.String(),
    category: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    location: Type.Optional(Location),
    memo: Type.Optional(Type.String()),
    merchant: Type.Optional(Type.String()),
    merchant_id: Type.Optional(Type.String({ format: 'uuid' })),
    subcategory: Type.Optional(Type.String()),
    transaction_category_id: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false, title: 'BankCredit' },
);

const Cash = Type.Object(
  {
    amount: Type.Number(),
    transaction_type: Type.String(),
    name: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'Cash' },
);

const Investment = Type.Object(
  {
    price: Type.Number(),
    quantity: Type.Number(),
    trade_signal: Type.String(),
    fee: Type.Optional(Type.Number()),
    investment_type: Type.Optional(Type.String()),
    settle_date: Type.Optional(Type.String({ format: 'date-time' })),
    ticker: Type.Optional(Type.String()),
    ticker_name: Type.Optional(Type.String()),
    value: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, title: 'Investment' },
);

export default defineEntity({
  name: 'aggregation_account_transaction',
  title: 'AggregationAccountTransaction',
  tag: 'AggregationAccount',
  webhookService: 'aggregation_account_transaction',
  references: {
    aggregation_account_id: 'aggregation_account',
  },
  schema: Type.Object({
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    transaction_date: Type.String({ format: 'date-time' }),
    aggregation_account_id: Type.Optional(Type.String({ format: 'uuid' })),
    bank_credit: Type.Optional(BankCredit),
    cash: Type.Optional(Cash),
    investment: Type.Optional(Investment),
    is_excluded_analysis: Type.Optional(Type.Boolean()),
    is_fee: Type.Optional(Type.Boolean()),
    is_recurring: Type.Optional(Type.Boolean()),
    is_transfer: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.String()),
  }),
});
