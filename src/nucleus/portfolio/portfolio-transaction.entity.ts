import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const CheckImages = Type.Object(
  {
    image_url: Type.String(),
    image_type: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'CheckImages' },
);

const Check = Type.Object(
  {
    check_number: Type.String(),
    check_amount: Type.Optional(Type.Number()),
    check_images: Type.Optional(Type.Array(CheckImages)),
  },
  { additionalProperties: false, title: 'Check' },
);

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

export default defineEntity({
  name: 'portfolio_transaction',
  title: 'PortfolioTransaction',
  tag: 'Portfolio',
  webhookService: 'portfolio_transaction',
  references: {
    account_id: 'account',
    funding_id: 'funding',
    model_id: 'model',
    portfolio_id: 'portfolio',
    security_id: 'security',
    transaction_code_id: 'transaction_code',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    date: Type.String({ format: 'date-time' }),
    model_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
    transaction_code_id: Type.String({ format: 'uuid' }),
    amount: Type.Optional(Type.Number()),
    balance: Type.Optional(Type.Number()),
    category: Type.Optional(Type.String()),
    check: Type.Optional(Check),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    date_available: Type.Optional(Type.String({ format: 'date-time' })),
    description: Type.Optional(Type.String()),
    funding_id: Type.Optional(Type.String({ format: 'uuid' })),
    is_cleansed: Type.Optional(Type.Boolean()),
    is_disputed: Type.Optional(Type.Boolean()),
    is_read: Type.Optional(Type.Boolean()),
    is_recurring: Type.Optional(Type.Boolean()),
    location: Type.Optional(Location),
    memo: Type.Optional(Type.String()),
    merchant: Type.Optional(Type.String()),
    merchant_category_code: Type.Optional(Type.String()),
    merchant_id: Type.Optional(Type.String({ format: 'uuid' })),
    mid: Type.Optional(Type.String()),
    price: Type.Optional(Type.Number()),
    quantity: Type.Optional(Type.Number()),
    security_id: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
    transaction_category_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
