import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'node',
  title: 'Node',
  tag: 'DecisionTree',
  references: {
    question_id: 'question',
  },
  schema: Type.Object({
    name: Type.String(),
    question_id: Type.String({ format: 'uuid' }),
    is_first: Type.Optional(Type.Boolean()),
  }),
});
