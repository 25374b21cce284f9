import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'answer',
  title: 'Answer',
  tag: 'Questionnaire',
  references: {
    question_id: 'question',
  },
  // Hydrogen's definition also embeds the whole question; that back-reference is left out.
  schema: Type.Object({
    value: Type.String(),
    image: Type.Optional(Type.String()),
    is_default: Type.Optional(Type.Boolean()),
    label: Type.Optional(Type.String()),
    order_index: Type.Optional(Type.String()),
    question_id: Type.Optional(Type.String({ format: 'uuid' })),
    tooltip: Type.Optional(Type.String()),
    weight: Type.Optional(Type.Number()),
  }),
});
