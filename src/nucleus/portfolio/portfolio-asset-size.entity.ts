import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'portfolio_asset_size',
  title: 'PortfolioAssetSizeLog',
  tag: 'Portfolio',
  webhookService: 'portfolio_asset_size',
  // Asset-size views probe a portfolio's records by date for the last of each period, and
  // find its records with a non-zero cash flow by ranges of the cash flow's text.
  indexes: [['portfolio_id', 'date'], ['portfolio_id', 'cash_flow']],
  references: {
    account_id: 'account',
    model_id: 'model',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    asset_size: Type.Number(),
    cash_flow: Type.Number(),
    date: Type.String({ format: 'date-time' }),
    model_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
    asset_size_available: Type.Optional(Type.Number()),
    asset_size_pending: Type.Optional(Type.Number()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
  }),
});
