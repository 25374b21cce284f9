import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'order_status',
  title: 'OrderStatus',
  tag: 'Order',
  schema: Type.Object({
    description: Type.String(),
    status: Type.String(),
  }),
});
