import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'node_relationship',
  title: 'NodeRelationship',
  tag: 'DecisionTree',
  references: {
    answer_id: 'answer',
    decision_tree_id: 'decision_tree',
    node_child_id: 'node',
    node_parent_id: 'node',
  },
  schema: Type.Object({
    answer_id: Type.String({ format: 'uuid' }),
    decision_tree_id: Type.String({ format: 'uuid' }),
    node_parent_id: Type.String({ format: 'uuid' }),
    value: Type.String(),
    is_leaf: Type.Optional(Type.Boolean()),
    node_child_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
