import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'notification',
  title: 'Notification',
  tag: 'Utils',
  references: {
    application_id: 'application',
    feature_id: 'feature',
  },
  schema: Type.Object({
    name: Type.String(),
    notification_type: Type.String(),
    application_id: Type.Optional(Type.String({ format: 'uuid' })),
    description: Type.Optional(Type.String()),
    feature_id: Type.Optional(Type.String({ format: 'uuid' })),
    frequency_unit: Type.Optional(Type.Array(Type.String())),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    threshold_type: Type.Optional(Type.String()),
  }),
});
