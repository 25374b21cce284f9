import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'portfolio_holding',
  title: 'PortfolioHoldingLog',
  tag: 'Portfolio',
  webhookService: 'portfolio_holding',
  // Holding views read a portfolio's records in date order.
  indexes: [['portfolio_id', 'date']],
  references: {
    account_id: 'account',
    model_id: 'model',
    portfolio_id: 'portfolio',
    security_id: 'security',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    date: Type.String({ format: 'date-time' }),
    model_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
    security_id: Type.String({ format: 'uuid' }),
    shares: Type.Number(),
    amount: Type.Optional(Type.Number()),
    cost_basis: Type.Optional(Type.Number()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    weight: Type.Optional(Type.Number()),
  }),
});
