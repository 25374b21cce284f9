import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'model_transaction',
  title: 'ModelTransaction',
  tag: 'Model',
  references: {
    model_id: 'model',
    security_id: 'security',
    transaction_code_id: 'transaction_code',
  },
  schema: Type.Object({
    date: Type.String({ format: 'date' }),
    model_id: Type.String({ format: 'uuid' }),
    price: Type.Number(),
    security_id: Type.String({ format: 'uuid' }),
    shares: Type.Number(),
    transaction_code_id: Type.String({ format: 'uuid' }),
  }),
});
