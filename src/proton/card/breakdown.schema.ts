import { Type } from 'typebox';
import { fractionOut, moneyOut } from '../response-fields.ts';

/** Response rows the spending analyses share. */

export const PeriodRow = Type.Object(
  {
    period_start: Type.String({ format: 'date', description: 'First day of the period' }),
    period_end: Type.String({ format: 'date', description: 'Last day of the period (cut at the end of the analysis)' }),
    spending: moneyOut('Spending in the period'),
    transactions: Type.Integer({ minimum: 0, description: 'Spending transactions in the period' }),
  },
  { additionalProperties: false, title: 'SpendingPeriodRow' },
);

export const MerchantRow = Type.Object(
  {
    merchant_id: Type.Union([Type.String(), Type.Null()], { description: 'The merchant id the transactions carry; null when they carry only a name' }),
    merchant: Type.Union([Type.String(), Type.Null()], { description: 'The merchant name (of the first transaction of the group)' }),
    spending: moneyOut('Spending at the merchant'),
    transactions: Type.Integer({ minimum: 0, description: 'Spending transactions at the merchant' }),
    share: fractionOut('Part of the total spending'),
  },
  { additionalProperties: false, title: 'SpendingMerchantRow' },
);

export const CategoryRow = Type.Object(
  {
    transaction_category_id: Type.Union([Type.String(), Type.Null()], { description: 'The transaction category id; null when the transactions carry only a category name' }),
    category: Type.Union([Type.String(), Type.Null()], { description: 'The category name (of the first transaction of the group)' }),
    spending: moneyOut('Spending in the category'),
    transactions: Type.Integer({ minimum: 0, description: 'Spending transactions in the category' }),
    share: fractionOut('Part of the total spending'),
  },
  { additionalProperties: false, title: 'SpendingCategoryRow' },
);
