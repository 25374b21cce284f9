import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'order_track',
  title: 'OrderTrack',
  tag: 'Order',
  webhookService: 'order_track',
  references: {
    order_id: 'order',
    order_status_id: 'order_status',
  },
  schema: Type.Object({
    date: Type.String({ format: 'date' }),
    order_id: Type.String({ format: 'uuid' }),
    order_status_id: Type.String({ format: 'uuid' }),
    commission: Type.Optional(Type.Number()),
    external_track_id: Type.Optional(Type.String()),
    fee: Type.Optional(Type.Number()),
    price: Type.Optional(Type.Number()),
    quantity: Type.Optional(Type.Number()),
  }),
});
