import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'risk_profile',
  title: 'RiskProfile',
  tag: 'RiskProfile',
  references: {
    client_id: 'client',
  },
  schema: Type.Object({
    name: Type.String(),
    category: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    description: Type.Optional(Type.String()),
    risk_score_max: Type.Optional(Type.Number()),
    risk_score_min: Type.Optional(Type.Number()),
  }),
});
