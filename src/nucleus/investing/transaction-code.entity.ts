import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'transaction_code',
  title: 'TransactionCode',
  tag: 'Utils',
  // Codes are what people and imports look transactions up by, so they must be unambiguous.
  unique: [['transaction_code']],
  schema: Type.Object({
    transaction_code: Type.String(),
    category: Type.Optional(Type.String()),
    is_buy: Type.Optional(Type.Boolean()),
    is_deposit: Type.Optional(Type.Boolean()),
    is_fee: Type.Optional(Type.Boolean()),
    is_transfer: Type.Optional(Type.Boolean()),
    subcategory: Type.Optional(Type.String()),
    transaction_code_description: Type.Optional(Type.String()),
    transaction_type: Type.Optional(Type.String()),
  }),
});
