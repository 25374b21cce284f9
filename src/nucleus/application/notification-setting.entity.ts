import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'notification_setting',
  title: 'NotificationSetting',
  tag: 'Utils',
  // A client has one setting per notification.
  unique: [['client_id', 'notification_id']],
  references: {
    client_id: 'client',
    notification_id: 'notification',
  },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    notification_id: Type.String({ format: 'uuid' }),
    frequency: Type.Optional(Type.Integer()),
    frequency_unit: Type.Optional(Type.String()),
    is_receive: Type.Optional(Type.Boolean()),
    last_run_date: Type.Optional(Type.String({ format: 'date-time' })),
    threshold_value: Type.Optional(Type.Number()),
  }),
});
