import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const AllocationNodeMap = Type.Object(
  {
    node_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'AllocationNodeMap' },
);

export default defineEntity({
  name: 'model',
  title: 'Model',
  tag: 'Model',
  references: {
    benchmark_id: 'benchmark',
    client_id: 'client',
    'node_map[].node_id': 'node',
  },
  schema: Type.Object({
    name: Type.String(),
    benchmark_id: Type.Optional(Type.String({ format: 'uuid' })),
    cash_sec: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    default_drift_factor: Type.Optional(Type.Number()),
    description: Type.Optional(Type.String()),
    downside: Type.Optional(Type.Boolean()),
    drift_rebal: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    node_map: Type.Optional(Type.Array(AllocationNodeMap)),
    period_rebal: Type.Optional(Type.Boolean()),
    rebalance_period: Type.Optional(Type.Integer()),
    safe_sec: Type.Optional(Type.String()),
    sec_rotation: Type.Optional(Type.Boolean()),
    tax_efficiency_id: Type.Optional(Type.Integer()),
  }),
});
