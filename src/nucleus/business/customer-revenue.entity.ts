import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'customer_revenue',
  title: 'CustomerRevenue',
  tag: 'Contact',
  references: {
    contact_id: 'contact',
  },
  schema: Type.Object({
    accounting_method: Type.String(),
    contact_id: Type.String({ format: 'uuid' }),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    date: Type.String({ format: 'date' }),
    revenue: Type.Number(),
  }),
});
