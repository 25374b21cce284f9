import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'order_bulk',
  title: 'OrderBulk',
  tag: 'Order',
  // POST /order_bulk nets the day's orders into block orders (TokenDateRequest); that is not a
  // plain create, so the views serve it (views/order-bulk.routes.ts) and the engine only lists.
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
