import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'reason_code',
  title: 'ReasonCode',
  tag: 'Utils',
  // Codes are what people and imports look reasons up by, so they must be unambiguous.
  unique: [['reason_code']],
  schema: Type.Object({
    reason_code: Type.String(),
    category: Type.Optional(Type.String()),
    reason_code_description: Type.Optional(Type.String()),
    reason_type: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
  }),
});
