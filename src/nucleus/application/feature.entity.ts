import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'feature',
  title: 'Feature',
  tag: 'Utils',
  references: {
    application_id: 'application',
  },
  schema: Type.Object({
    feature_name: Type.String(),
    application_id: Type.Optional(Type.String({ format: 'uuid' })),
    category: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    page_name: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
  }),
});
