import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'questionnaire',
  title: 'Questionnaire',
  tag: 'Questionnaire',
  references: {
    decision_tree_id: 'decision_tree',
  },
  // Hydrogen's definition also embeds the questions; they are listed with
  // filter=questionnaire_id==<id> instead.
  schema: Type.Object({
    name: Type.String(),
    decision_tree_id: Type.Optional(Type.String({ format: 'uuid' })),
    description: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    type: Type.Optional(Type.String()),
  }),
});
