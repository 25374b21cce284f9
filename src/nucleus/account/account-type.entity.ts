import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'account_type',
  title: 'AccountType',
  tag: 'Account',
  schema: Type.Object({
    name: Type.String({ minLength: 1 }),
    short_name: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
    is_taxable: Type.Optional(Type.Boolean()),
    is_asset: Type.Optional(Type.Boolean({ default: true })),
    is_cash: Type.Optional(Type.Boolean()),
    is_business: Type.Optional(Type.Boolean()),
    is_investment: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
  }),
});
