import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'model_comment',
  title: 'ModelComment',
  tag: 'Model',
  references: {
    model_id: 'model',
  },
  schema: Type.Object({
    comment: Type.String(),
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
  }),
});
