import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const CardAddress = Type.Object(
  {
    address_line1: Type.String(),
    city: Type.String(),
    country: Type.String(),
    state: Type.String(),
    type: Type.String(),
    address_line2: Type.Optional(Type.String()),
    postalcode: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'CardAddress' },
);

export default defineEntity({
  name: 'card',
  title: 'Card',
  tag: 'Card',
  webhookService: 'card',
  references: {
    business_id: 'business',
    card_program_id: 'card_program',
    client_id: 'client',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    card_holder_name: Type.String(),
    card_issuance: Type.String(),
    card_name: Type.String(),
    card_type: Type.String(),
    portfolio_id: Type.String({ format: 'uuid' }),
    address: Type.Optional(Type.Array(CardAddress)),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    card_image: Type.Optional(Type.String()),
    card_network: Type.Optional(Type.String()),
    card_program_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    credit_limit: Type.Optional(Type.Number()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    expiry_date: Type.Optional(Type.String({ format: 'date' })),
    fulfillment: Type.Optional(Type.String()),
    institution_id: Type.Optional(Type.String({ format: 'uuid' })),
    institution_name: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_pin_set: Type.Optional(Type.Boolean()),
    is_primary: Type.Optional(Type.Boolean()),
    is_reloadable: Type.Optional(Type.Boolean()),
    mask: Type.Optional(Type.String()),
    phone_number: Type.Optional(Type.String()),
    prepaid_amount: Type.Optional(Type.Number()),
    status: Type.Optional(Type.String()),
  }),
});
