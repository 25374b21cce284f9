import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'goal',
  title: 'Goal',
  tag: 'Goal',
  references: {
    client_id: 'client',
    parent_goal_id: 'goal',
    questionnaire_id: 'questionnaire',
  },
  schema: Type.Object({
    name: Type.String(),
    accumulation_horizon: Type.Optional(Type.Number()),
    category: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    decumulation_horizon: Type.Optional(Type.Number()),
    goal_amount: Type.Optional(Type.Number()),
    image: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_decumulation: Type.Optional(Type.Boolean()),
    parent_goal_id: Type.Optional(Type.String({ format: 'uuid' })),
    questionnaire_id: Type.Optional(Type.String({ format: 'uuid' })),
    type: Type.Optional(Type.String()),
  }),
});
