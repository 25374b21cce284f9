import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const Stat = Type.Object(
  {
    stat_name: Type.String(),
    stat_value: Type.Number(),
  },
  { additionalProperties: false, title: 'Stat' },
);

export default defineEntity({
  name: 'financial_statement',
  title: 'FinancialStatement',
  tag: 'FinancialStatement',
  references: {
    business_id: 'business',
    client_id: 'client',
  },
  schema: Type.Object({
    accounting_method: Type.String(),
    currency_code: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    statement_date: Type.String({ format: 'date' }),
    statement_type: Type.String(),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    period_length: Type.Optional(Type.String()),
    period_month: Type.Optional(Type.Integer()),
    period_quarter: Type.Optional(Type.Integer()),
    period_type: Type.Optional(Type.String()),
    period_year: Type.Optional(Type.Integer()),
    stats: Type.Optional(Type.Array(Stat)),
  }),
});
