import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const BenchmarkComposition = Type.Object(
  {
    security_id: Type.String({ format: 'uuid' }),
    weight: Type.Number(),
  },
  { additionalProperties: false, title: 'BenchmarkComposition' },
);

export default defineEntity({
  name: 'benchmark',
  title: 'Benchmark',
  tag: 'Benchmark',
  references: {
    client_id: 'client',
    'composition[].security_id': 'security',
  },
  schema: Type.Object({
    name: Type.String(),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    composition: Type.Optional(Type.Array(BenchmarkComposition)),
    description: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
  }),
});
