import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const Brokers = Type.Object(
  {
    broker_name: Type.String(),
    status: Type.String(),
  },
  { additionalProperties: false, title: 'Brokers' },
);

const SecuritiesComposition = Type.Object(
  {
    component_id: Type.String({ format: 'uuid' }),
    end_date: Type.String({ format: 'date' }),
    start_date: Type.String({ format: 'date' }),
    weight: Type.Number(),
  },
  { additionalProperties: false, title: 'SecuritiesComposition' },
);

const SecuritiesCountry = Type.Object(
  {
    country: Type.String(),
    weight: Type.Number(),
  },
  { additionalProperties: false, title: 'SecuritiesCountry' },
);

export default defineEntity({
  name: 'security',
  title: 'Security',
  tag: 'Securities',
  references: {
    // The security whose prices stand in for this one's.
    proxy_id: 'security',
    'security_composition[].component_id': 'security',
  },
  schema: Type.Object({
    name: Type.String(),
    ticker: Type.String(),
    asset_class: Type.Optional(Type.String()),
    brokers: Type.Optional(Type.Array(Brokers)),
    category: Type.Optional(Type.String()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    cusip: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    exchange: Type.Optional(Type.String()),
    image: Type.Optional(Type.String()),
    industry: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    isin: Type.Optional(Type.String()),
    proxy_id: Type.Optional(Type.String({ format: 'uuid' })),
    sector: Type.Optional(Type.String()),
    security_class: Type.Optional(Type.String()),
    security_composition: Type.Optional(Type.Array(SecuritiesComposition)),
    security_country: Type.Optional(Type.Array(SecuritiesCountry)),
    total_expense_ratio: Type.Optional(Type.Number()),
    type: Type.Optional(Type.String()),
  }),
});
