import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { accountingMethod, businessId, clientId, currencyCode, currencyConversion, endDate, historyInterval, showHistory, startDate, statementPeriodFields } from './request-fields.ts';
import { count, day, nullableDay, nullableMoney, nullableNumber, periodBounds, reportCurrencyOut } from './response-fields.ts';

const STAT_NAMES = [
  'cash',
  'accounts_receivable',
  'total_assets',
  'accounts_payable',
  'total_liabilities',
  'total_equity',
  'total_revenue',
  'cogs',
  'total_expenses',
  'operating_income',
  'gross_profit',
  'net_income',
  'ebitda',
] as const;

const STATEMENT_TYPES = ['income_statement', 'balance_sheet', 'all'] as const;

export const StatementAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      business_id: businessId(),
      client_id: clientId(),
      accounting_method: accountingMethod('Only statements kept by this accounting method are read'),
      statement_type: Type.Unsafe<(typeof STATEMENT_TYPES)[number]>({
        type: 'string',
        enum: [...STATEMENT_TYPES],
        default: 'all',
        description: 'Only statements of this statement_type are read; all for both',
      }),
      stat_names: Type.Array(Type.Unsafe<(typeof STAT_NAMES)[number]>({ type: 'string', enum: [...STAT_NAMES] }), {
        minItems: 1,
        uniqueItems: true,
        default: [...STAT_NAMES],
        description: 'The line items reported, in this order; every one of them when absent',
      }),
      ...statementPeriodFields(),
      currency_code: currencyCode(),
      currency_conversion: currencyConversion(),
      start_date: startDate('First statement_date read; null for no limit'),
      end_date: endDate('Last statement_date read'),
      show_history: showHistory(),
      history_frequency_interval: historyInterval(),
    },
    { additionalProperties: false },
  ),
);

const Stat = Type.Object(
  {
    stat_name: Type.String({ description: 'The line item' }),
    statement_count: count('Statements read that report it'),
    latest_value: nullableMoney('Its value in the latest statement reporting it; null when none does'),
    latest_date: nullableDay('statement_date of that statement'),
    earliest_value: nullableMoney('Its value in the earliest statement reporting it'),
    earliest_date: nullableDay('statement_date of that statement'),
    change: nullableMoney('latest_value - earliest_value'),
    growth: nullableNumber('change / earliest_value, a fraction; null when earliest_value is not positive'),
    history: Type.Union(
      [
        Type.Array(
          Type.Object(
            {
              ...periodBounds,
              value: nullableMoney('Its value in the last statement of the period reporting it; null when none does'),
              statement_date: nullableDay('statement_date of that statement'),
            },
            { additionalProperties: false, title: 'StatementStatHistoryEntry' },
          ),
        ),
        Type.Null(),
      ],
      { description: 'Per period of the window when show_history; else null' },
    ),
  },
  { additionalProperties: false, title: 'StatementStat' },
);

export const StatementAnalysisResponse = Type.Object(
  {
    currency_code: reportCurrencyOut(),
    accounting_method: Type.String({ description: 'accounting_method as requested' }),
    analysis_start: nullableDay('start_date, or the earliest statement_date read; null when no statement was read'),
    analysis_end: day('end_date as used'),
    statement_count: count('Statements read'),
    stats: Type.Array(Stat, { description: 'One entry per stat_names item, in its order' }),
  },
  { additionalProperties: false },
);
