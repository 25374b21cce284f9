import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'decision_tree',
  title: 'DecisionTree',
  tag: 'DecisionTree',
  schema: Type.Object({
    name: Type.String(),
    category: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    subcategory: Type.Optional(Type.String()),
  }),
});
