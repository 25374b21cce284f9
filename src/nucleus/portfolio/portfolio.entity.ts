import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'portfolio',
  title: 'Portfolio',
  tag: 'Portfolio',
  references: { account_id: 'account', model_id: 'model' },
  schema: Type.Object({
    name: Type.String({ minLength: 1 }),
    account_id: Type.String({ format: 'uuid' }),
    percentage: Type.Number({ minimum: 0, maximum: 100, description: 'Share of the account this portfolio holds, in percent' }),
    model_id: Type.Optional(Type.String({ format: 'uuid' })),
    account_number: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    is_subledger: Type.Optional(Type.Boolean({ default: false })),
    status: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
  }),
});
