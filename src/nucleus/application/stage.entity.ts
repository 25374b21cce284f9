import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'stage',
  title: 'Stage',
  tag: 'Utils',
  references: {
    application_id: 'application',
  },
  schema: Type.Object({
    name: Type.String(),
    application_id: Type.Optional(Type.String({ format: 'uuid' })),
    category: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    is_account: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_business: Type.Optional(Type.Boolean()),
    is_client: Type.Optional(Type.Boolean()),
    is_closed: Type.Optional(Type.Boolean()),
    is_converted: Type.Optional(Type.Boolean()),
    is_verified: Type.Optional(Type.Boolean()),
    order_index: Type.Optional(Type.Integer()),
  }),
});
