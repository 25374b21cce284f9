import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'security_price',
  title: 'SecurityPrice',
  tag: 'Securities',
  // One price per security and point in time; a second one is a correction, sent as an update.
  unique: [['security_id', 'date']],
  references: {
    security_id: 'security',
  },
  schema: Type.Object({
    date: Type.String({ format: 'date-time' }),
    price: Type.Number(),
    security_id: Type.String({ format: 'uuid' }),
    adjusted_price: Type.Optional(Type.Number()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    high: Type.Optional(Type.Number()),
    low: Type.Optional(Type.Number()),
    open: Type.Optional(Type.Number()),
    volume: Type.Optional(Type.Number()),
  }),
});
