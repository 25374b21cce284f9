import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const LineItems = Type.Object(
  {
    amount: Type.Number(),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    description: Type.String(),
    quantity: Type.Number(),
    rate: Type.Number(),
    line_item_id: Type.Optional(Type.String()),
    subtotal: Type.Optional(Type.Number()),
    tax: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, title: 'LineItems' },
);

export default defineEntity({
  name: 'invoice',
  title: 'Invoice',
  tag: 'Invoice',
  references: {
    business_id: 'business',
    client_id: 'client',
    contact_id: 'contact',
    document_id: 'document',
  },
  schema: Type.Object({
    contact_id: Type.String({ format: 'uuid' }),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    due_date: Type.String({ format: 'date-time' }),
    invoice_date: Type.String({ format: 'date' }),
    invoice_number: Type.String(),
    total_amount: Type.Number(),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    department: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    document_id: Type.Optional(Type.String({ format: 'uuid' })),
    invoice_name: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_bill: Type.Optional(Type.Boolean()),
    line_items: Type.Optional(Type.Array(LineItems)),
    payment_instructions: Type.Optional(Type.String()),
    payment_terms: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    total_discount: Type.Optional(Type.Number()),
    total_due: Type.Optional(Type.Number()),
    total_subtotal: Type.Optional(Type.Number()),
    total_tax: Type.Optional(Type.Number()),
  }),
});
