import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'bank_link',
  title: 'BankLink',
  tag: 'Funding',
  references: {
    account_id: 'account',
    business_id: 'business',
    client_id: 'client',
  },
  schema: Type.Object({
    bank_account_holder: Type.String(),
    bank_account_number: Type.String(),
    institution_name: Type.String(),
    routing: Type.String(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    available_balance: Type.Optional(Type.Number()),
    balance: Type.Optional(Type.Number()),
    bank_account_name: Type.Optional(Type.String()),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    institution_id: Type.Optional(Type.String({ format: 'uuid' })),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_default: Type.Optional(Type.Boolean()),
    is_link_verified: Type.Optional(Type.Boolean()),
    link_verified_date: Type.Optional(Type.String({ format: 'date' })),
    mask: Type.Optional(Type.String()),
    routing_wire: Type.Optional(Type.String()),
    type: Type.Optional(Type.String()),
  }),
});
