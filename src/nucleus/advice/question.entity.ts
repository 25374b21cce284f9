import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'question',
  title: 'Question',
  tag: 'Questionnaire',
  references: {
    questionnaire_id: 'questionnaire',
  },
  // Hydrogen's definition also embeds the questionnaire and the answers; those
  // back-references are left out: answers are listed with filter=question_id==<id>.
  schema: Type.Object({
    category: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    document: Type.Optional(Type.String()),
    image: Type.Optional(Type.String()),
    is_account: Type.Optional(Type.Boolean()),
    order_index: Type.Optional(Type.String()),
    question_type: Type.Optional(Type.String()),
    questionnaire_id: Type.Optional(Type.String({ format: 'uuid' })),
    subcategory: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    tooltip: Type.Optional(Type.String()),
    weight: Type.Optional(Type.Number()),
  }),
});
