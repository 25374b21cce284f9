import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'order_bulk',
  title: 'OrderBulk',
  tag: 'Order',
  // POST /order_bulk generates orders from a date and transaction codes (TokenDateRequest);
  // that computation is not a plain create, so the engine serves only the list.
  operations: ['list'],
  references: {
    account_id: 'account',
    model_id: 'model',
    order_id: 'order',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
    order_bulk_id: Type.String({ format: 'uuid' }),
    order_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
  }),
});
