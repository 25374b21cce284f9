import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { CategoryRow, MerchantRow, PeriodRow } from './breakdown.schema.ts';
import { FREQUENCY_UNITS, transactionStatusScope, uuidList } from './card-fields.ts';

export const SPENDING_SCOPES = ['all', 'external', 'internal', 'cards'] as const;

export const SpendingAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      client_ids: uuidList('Clients whose spending is analysed: on their accounts, cards and aggregation accounts'),
      household_ids: uuidList("Households whose members' spending is analysed"),
      business_ids: uuidList('Businesses whose spending is analysed: their clients, cards and aggregation accounts'),
      account_ids: uuidList('Nucleus accounts whose portfolios are analysed'),
      card_ids: uuidList('Cards whose transactions are analysed'),
      aggregation_account_ids: uuidList('Aggregation accounts whose debits are analysed'),
      scope: Type.Unsafe<(typeof SPENDING_SCOPES)[number]>({
        type: 'string',
        enum: [...SPENDING_SCOPES],
        default: 'all',
        description: 'Which spending: internal (Nucleus portfolios, cards included), external (aggregation accounts), both (all), or cards only',
      }),
      frequency_unit: Type.Unsafe<(typeof FREQUENCY_UNITS)[number]>({ type: 'string', enum: [...FREQUENCY_UNITS], description: 'Unit of the analysis periods' }),
      frequency: Type.Integer({ minimum: 1, maximum: 366, default: 1, description: 'How many units make one period' }),
      lookback_periods: Type.Integer({ minimum: 0, maximum: 1000, default: 0, description: 'Whole periods analysed before the current one (when start_date is not given)' }),
      as_of_date: Type.Optional(Type.String({ format: 'date', description: 'Last day of the analysis when end_date is not given; today when absent' })),
      start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'First day analysed; when given, periods run from the one holding it' }),
      end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'Last day analysed; as_of_date (or today) when null' }),
      transaction_category_scope: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { description: 'Only transactions of these transaction categories' })),
      merchant_scope: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { description: 'Only transactions at these merchants (by merchant_id)' })),
      card_status_scope: Type.Union([Type.Array(Type.String()), Type.Null()], { default: null, description: 'Only cards whose status is one of these; null for every card' }),
      transaction_status_scope: transactionStatusScope(),
      only_cleansed: Type.Boolean({ default: false, description: 'Only cleansed transactions: card and portfolio transactions marked is_cleansed, aggregation transactions that carry a bank_credit.category' }),
      only_active_clients: Type.Boolean({ default: false, description: 'Leave out clients whose is_active is false' }),
      currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Without currency_conversion: only transactions in this currency count' })),
      currency_conversion: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: "Convert every transaction to this currency through the stored FX rates of its day" })),
      show_by_period: Type.Boolean({ default: false, description: 'Report spending per period' }),
      show_by_merchant: Type.Boolean({ default: false, description: 'Report spending per merchant' }),
      show_by_category: Type.Boolean({ default: false, description: 'Report spending per transaction category' }),
    },
    { additionalProperties: false },
  ),
);

export const SpendingAnalysisResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount: currency_conversion, else currency_code; null when neither was asked (amounts as stored)' }),
    analysis_start: Type.String({ format: 'date', description: 'First day analysed' }),
    analysis_end: Type.String({ format: 'date', description: 'Last day analysed' }),
    total_spending: moneyOut('All spending in the analysis'),
    transactions: Type.Integer({ minimum: 0, description: 'Spending transactions counted' }),
    average_period_spending: moneyOut('total_spending divided by the number of periods'),
    periods: Type.Integer({ minimum: 1, description: 'Number of periods analysed' }),
    by_period: Type.Union([Type.Array(PeriodRow), Type.Null()], { description: 'Per period, oldest first (show_by_period); null otherwise' }),
    by_merchant: Type.Union([Type.Array(MerchantRow), Type.Null()], { description: 'Per merchant, largest first (show_by_merchant); null otherwise' }),
    by_category: Type.Union([Type.Array(CategoryRow), Type.Null()], { description: 'Per transaction category, largest first (show_by_category); null otherwise' }),
  },
  { additionalProperties: false },
);
