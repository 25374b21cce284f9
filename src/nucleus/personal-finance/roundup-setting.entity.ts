import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const BankLinkMap = Type.Object(
  {
    bank_link_id: Type.String({ format: 'uuid' }),
    weight: Type.Number(),
  },
  { additionalProperties: false, title: 'BankLinkMap' },
);

const AccountMap = Type.Object(
  {
    account_id: Type.String({ format: 'uuid' }),
    amount: Type.Integer(),
  },
  { additionalProperties: false, title: 'AccountMap' },
);

const AggregationAccountsMap = Type.Object(
  {
    aggregation_account_id: Type.String({ format: 'uuid' }),
    amount: Type.Integer(),
  },
  { additionalProperties: false, title: 'AggregationAccountsMap' },
);

const CategoriesMap = Type.Object(
  {
    amount: Type.Integer(),
    category: Type.String(),
  },
  { additionalProperties: false, title: 'CategoriesMap' },
);

const MerchantsMap = Type.Object(
  {
    amount: Type.Integer(),
    merchant: Type.String(),
  },
  { additionalProperties: false, title: 'MerchantsMap' },
);

export default defineEntity({
  name: 'roundup_setting',
  title: 'RoundupSettings',
  tag: 'Roundup',
  references: {
    account_id: 'account',
    'accounts[].account_id': 'account',
    'aggregation_accounts[].aggregation_account_id': 'aggregation_account',
    'bank_links[].bank_link_id': 'bank_link',
    client_id: 'client',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    bank_links: Type.Array(BankLinkMap),
    client_id: Type.String({ format: 'uuid' }),
    accounts: Type.Optional(Type.Array(AccountMap)),
    aggregation_accounts: Type.Optional(Type.Array(AggregationAccountsMap)),
    categories: Type.Optional(Type.Array(CategoriesMap)),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    merchants: Type.Optional(Type.Array(MerchantsMap)),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
