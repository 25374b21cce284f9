import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'model_holding',
  title: 'ModelHolding',
  tag: 'Model',
  references: {
    model_id: 'model',
    security_id: 'security',
  },
  schema: Type.Object({
    current_weight: Type.Number(),
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
    security_id: Type.String({ format: 'uuid' }),
    strategic_weight: Type.Number(),
    drift_factor: Type.Optional(Type.Number()),
    is_cash: Type.Optional(Type.Boolean()),
    is_initial_holding: Type.Optional(Type.Boolean()),
    is_safe_security: Type.Optional(Type.Boolean()),
    model_description: Type.Optional(Type.String()),
    model_name: Type.Optional(Type.String()),
    model_weight: Type.Optional(Type.Number()),
    sec_price: Type.Optional(Type.Number()),
  }),
});
