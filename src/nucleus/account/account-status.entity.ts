import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'account_status',
  title: 'AccountStatus',
  tag: 'Account',
  webhookService: 'account_status',
  references: { account_id: 'account', stage_id: 'stage' },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    stage_id: Type.String({ format: 'uuid', description: 'The stage the account reached' }),
    status: Type.Optional(Type.String()),
    comments: Type.Optional(Type.String()),
  }),
});
