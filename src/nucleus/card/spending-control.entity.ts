import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'spending_control',
  title: 'SpendingControl',
  tag: 'SpendingControl',
  references: {
    client_id: 'client',
  },
  schema: Type.Object({
    control_scope: Type.String(),
    control_type: Type.String(),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    client_group: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    control_values: Type.Optional(Type.Array(Type.String())),
    description: Type.Optional(Type.String()),
    frequency: Type.Optional(Type.Integer()),
    frequency_unit: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    limit_value: Type.Optional(Type.Number()),
  }),
});
