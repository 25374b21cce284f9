import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const AllocationNodeMap = Type.Object(
  {
    node_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'AllocationNodeMap' },
);

export default defineEntity({
  name: 'allocation',
  title: 'Allocation',
  tag: 'Allocation',
  references: {
    benchmark_id: 'benchmark',
    client_id: 'client',
    'node_map[].node_id': 'node',
  },
  schema: Type.Object({
    name: Type.String(),
    benchmark_id: Type.Optional(Type.String({ format: 'uuid' })),
    category: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    description: Type.Optional(Type.String()),
    inception_date: Type.Optional(Type.String({ format: 'date' })),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    node_map: Type.Optional(Type.Array(AllocationNodeMap)),
    performance: Type.Optional(Type.Number()),
    volatility: Type.Optional(Type.Number()),
  }),
});
