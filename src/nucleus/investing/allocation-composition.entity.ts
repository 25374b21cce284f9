import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'allocation_composition',
  title: 'AllocationComposition',
  tag: 'Allocation',
  references: {
    allocation_id: 'allocation',
    model_id: 'model',
  },
  schema: Type.Object({
    allocation_id: Type.String({ format: 'uuid' }),
    current_weight: Type.Number(),
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
    strategic_weight: Type.Number(),
    core: Type.Optional(Type.Boolean()),
  }),
});
