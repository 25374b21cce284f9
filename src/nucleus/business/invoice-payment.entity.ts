import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'invoice_payment',
  title: 'InvoicePayment',
  tag: 'Invoice',
  references: {
    invoice_id: 'invoice',
  },
  schema: Type.Object({
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    invoice_id: Type.String({ format: 'uuid' }),
    payment_amount: Type.Number(),
    payment_date: Type.String({ format: 'date-time' }),
  }),
});
