import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'account_allocation',
  title: 'AccountAllocationMapping',
  tag: 'Account',
  references: {
    account_id: 'account',
    allocation_id: 'allocation',
    goal_id: 'goal',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    allocation_id: Type.String({ format: 'uuid' }),
    current_weight: Type.Number(),
    date: Type.String({ format: 'date' }),
    strategic_weight: Type.Number(),
    goal_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
