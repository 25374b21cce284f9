import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'client_response',
  title: 'ClientResponse',
  tag: 'Client',
  webhookService: 'client_response',
  references: {
    account_id: 'account',
    answer_id: 'answer',
    client_id: 'client',
  },
  schema: Type.Object({
    answer_id: Type.String({ format: 'uuid' }),
    answer_value: Type.String(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    // A free string in Hydrogen's definition (not a uuid), so it is not checked as a reference.
    application_id: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
