import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'order',
  title: 'Order',
  tag: 'Order',
  references: {
    account_id: 'account',
    model_id: 'model',
    portfolio_id: 'portfolio',
    security_id: 'security',
    transaction_code_id: 'transaction_code',
  },
  schema: Type.Object({
    date: Type.String({ format: 'date' }),
    order_ticket_id: Type.String({ format: 'uuid' }),
    security_id: Type.String({ format: 'uuid' }),
    transaction_code_id: Type.String({ format: 'uuid' }),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    amount: Type.Optional(Type.Number()),
    commission: Type.Optional(Type.Number()),
    is_read: Type.Optional(Type.Boolean()),
    model_id: Type.Optional(Type.String({ format: 'uuid' })),
    // Groups the orders of one bulk run; not the id of an order_bulk record.
    order_bulk_id: Type.Optional(Type.String({ format: 'uuid' })),
    order_type: Type.Optional(Type.String()),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
    price: Type.Optional(Type.Number()),
    quantity: Type.Optional(Type.Number()),
    tmp_tracker_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
