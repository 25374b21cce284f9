import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'security_exclusion',
  title: 'SecurityExclusion',
  tag: 'Securities',
  references: {
    account_id: 'account',
    client_id: 'client',
    portfolio_id: 'portfolio',
    security_id: 'security',
  },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    is_restrict_buy: Type.Boolean(),
    is_restrict_sell: Type.Boolean(),
    security_id: Type.String({ format: 'uuid' }),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
