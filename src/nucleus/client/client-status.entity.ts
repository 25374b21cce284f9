import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'client_status',
  title: 'ClientStatus',
  tag: 'Client',
  webhookService: 'client_status',
  references: { client_id: 'client', stage_id: 'stage' },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    stage_id: Type.String({ format: 'uuid', description: 'The onboarding stage the client reached' }),
    status: Type.Optional(Type.String()),
    comments: Type.Optional(Type.String()),
  }),
});
