import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const ContactAddress = Type.Object(
  {
    address_line1: Type.String(),
    city: Type.String(),
    country: Type.String(),
    state: Type.String(),
    type: Type.String(),
    address_line2: Type.Optional(Type.String()),
    postalcode: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'ContactAddress' },
);

const Balances = Type.Object(
  {
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    payable_outstanding: Type.Optional(Type.Number()),
    payable_overdue: Type.Optional(Type.Number()),
    receivable_outstanding: Type.Optional(Type.Number()),
    receivable_overdue: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, title: 'Balances' },
);

export default defineEntity({
  name: 'contact',
  title: 'Contact',
  tag: 'Contact',
  references: {
    business_id: 'business',
    client_id: 'client',
  },
  schema: Type.Object({
    company_name: Type.String(),
    address: Type.Optional(Type.Array(ContactAddress)),
    balances: Type.Optional(Balances),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    description: Type.Optional(Type.String()),
    first_name: Type.Optional(Type.String()),
    identification_number: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_customer: Type.Optional(Type.Boolean()),
    is_supplier: Type.Optional(Type.Boolean()),
    last_name: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
  }),
});
