import { datedSource } from '../../platform/read/dated-rows.ts';

/** The dated records the views read, each by the record it describes. */

export const PORTFOLIO_ASSET_SIZES = datedSource({
  entity: 'portfolio_asset_size',
  groupField: 'portfolio_id',
  dateField: 'date',
  fields: {
    date: 'date',
    value: 'asset_size',
    cash_flow: 'cash_flow',
    available: 'asset_size_available',
    pending: 'asset_size_pending',
    currency: 'currency_code',
  },
});

export const PORTFOLIO_HOLDINGS = datedSource({
  entity: 'portfolio_holding',
  groupField: 'portfolio_id',
  dateField: 'date',
  fields: { security: 'security_id', shares: 'shares', amount: 'amount', cost_basis: 'cost_basis', currency: 'currency_code' },
});

export const MODEL_ASSET_SIZES = datedSource({
  entity: 'model_asset_size',
  groupField: 'model_id',
  dateField: 'date',
  fields: { value: 'asset_size' },
});

export const MODEL_HOLDINGS = datedSource({
  entity: 'model_holding',
  groupField: 'model_id',
  dateField: 'date',
  fields: { security: 'security_id', current_weight: 'current_weight', strategic_weight: 'strategic_weight' },
});

export const SECURITY_PRICES = datedSource({
  entity: 'security_price',
  groupField: 'security_id',
  dateField: 'date',
  fields: { price: 'price', currency: 'currency_code' },
});
