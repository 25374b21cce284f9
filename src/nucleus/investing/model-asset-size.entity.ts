import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'model_asset_size',
  title: 'ModelAssetSize',
  tag: 'Model',
  // One asset size per model and day.
  unique: [['model_id', 'date']],
  references: {
    model_id: 'model',
  },
  schema: Type.Object({
    asset_size: Type.Number(),
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    is_reconciled: Type.Optional(Type.Boolean()),
  }),
});
