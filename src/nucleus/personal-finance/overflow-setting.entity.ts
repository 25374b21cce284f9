import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const OverflowBankLinkMap = Type.Object(
  {
    amount: Type.Number(),
    bank_link_id: Type.String({ format: 'uuid' }),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, title: 'OverflowBankLinkMap' },
);

export default defineEntity({
  name: 'overflow_setting',
  title: 'OverflowSettings',
  tag: 'Overflow',
  references: {
    account_id: 'account',
    'bank_links[].bank_link_id': 'bank_link',
    client_id: 'client',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    bank_links: Type.Array(OverflowBankLinkMap),
    client_id: Type.String({ format: 'uuid' }),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
