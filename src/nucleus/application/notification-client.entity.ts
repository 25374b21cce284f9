import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'notification_client',
  title: 'NotificationClient',
  tag: 'Utils',
  webhookService: 'notification_client',
  references: {
    client_id: 'client',
    notification_id: 'notification',
  },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    notification_content: Type.String(),
    notification_date: Type.String({ format: 'date-time' }),
    notification_id: Type.String({ format: 'uuid' }),
    is_read: Type.Optional(Type.Boolean()),
    is_sent: Type.Optional(Type.Boolean()),
    notification_image: Type.Optional(Type.String()),
  }),
});
