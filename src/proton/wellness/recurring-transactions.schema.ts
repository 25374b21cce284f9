import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { RECURRENCES } from './recurring.ts';
import { accountIds, aggregationAccountIds, clientId, currencyCode, currencyConversion, onlyCleansed, optionalDay, sourceScope, statusScope } from './wellness-fields.ts';

export const RecurringTransactionRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(clientId()),
      account_ids: accountIds(),
      aggregation_account_ids: aggregationAccountIds(),
      scope: sourceScope(),
      start_date: optionalDay('First day of transactions searched; when null, twelve months before end_date'),
      end_date: Type.Optional(Type.String({ format: 'date', description: 'Last day of transactions searched; today (UTC) when absent' })),
      amount_deviation_threshold: Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.05,
        description: "How far a payment's amount may stray from the median of its series, as a fraction of it",
      }),
      interval_deviation_threshold: Type.Integer({
        minimum: 0,
        default: 3,
        description: 'Days a payment may come before or after the date its predecessor implies',
      }),
      analyze_transactions: Type.Boolean({
        default: true,
        description: 'Search every outgoing transaction; when false, only those already marked is_recurring',
      }),
      flag_transactions: Type.Boolean({
        default: false,
        description: 'Accepted for compatibility; Deuterium stores nothing from an analysis, so no transaction is changed',
      }),
      show_recurring_details: Type.Boolean({ default: false, description: 'List the transactions of each series' }),
      transaction_status_scope: statusScope(),
      only_cleansed: onlyCleansed(),
      currency_code: Type.Optional(currencyCode()),
      currency_conversion: Type.Optional(currencyConversion()),
    },
    { additionalProperties: false },
  ),
);

const RecurringPayment = Type.Object(
  {
    transaction_id: Type.String({ format: 'uuid', description: 'The transaction (aggregation account or portfolio transaction)' }),
    source: Type.Union([Type.Literal('external'), Type.Literal('internal')], { description: 'external: an aggregation account transaction; internal: a portfolio transaction' }),
    account_id: Type.String({ format: 'uuid', description: 'The aggregation account (external) or Nucleus account (internal) it was recorded on' }),
    date: Type.String({ format: 'date', description: 'Day of the payment (UTC)' }),
    amount: moneyOut('Amount paid'),
  },
  { additionalProperties: false, title: 'RecurringPayment' },
);

const RecurringSeries = Type.Object(
  {
    merchant: Type.String({ description: 'Merchant (or, without one, the description) the payments share, as first recorded' }),
    category: Type.Union([Type.String(), Type.Null()], { description: 'Category of the latest payment; null when none is recorded' }),
    frequency: Type.Unsafe<(typeof RECURRENCES)[number]['frequency']>({
      type: 'string',
      enum: RECURRENCES.map((r) => r.frequency),
      description: 'Interval between payments: 7 days, or 1, 3 or 12 calendar months',
    }),
    occurrences: Type.Integer({ minimum: 2, description: 'Payments found in the window' }),
    typical_amount: moneyOut('Median payment'),
    average_amount: moneyOut('Mean payment'),
    total_amount: moneyOut('Sum of the payments found'),
    annual_cost: moneyOut('typical_amount times the payments a year (52, 12, 4 or 1)'),
    first_date: Type.String({ format: 'date', description: 'Day of the first payment found' }),
    last_date: Type.String({ format: 'date', description: 'Day of the latest payment found' }),
    next_expected_date: Type.String({ format: 'date', description: 'last_date plus one interval' }),
    average_interval_days: Type.Number({ description: '(last_date - first_date) / (occurrences - 1), in days' }),
    transactions: Type.Optional(Type.Array(RecurringPayment, { description: 'The payments, oldest first; with show_recurring_details' })),
  },
  { additionalProperties: false, title: 'RecurringSeries' },
);

export const RecurringTransactionResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount; null when no transaction records one' }),
    analysis_start_date: Type.String({ format: 'date', description: 'First day searched' }),
    analysis_end_date: Type.String({ format: 'date', description: 'Last day searched' }),
    series_count: Type.Integer({ minimum: 0, description: 'Number of recurring series found' }),
    total_annual_cost: moneyOut('Sum of the annual_cost of every series'),
    total_monthly_cost: moneyOut('total_annual_cost / 12'),
    recurring_transactions: Type.Array(RecurringSeries, { description: 'Series found, by the day of their first payment' }),
  },
  { additionalProperties: false, title: 'RecurringTransactionAnalysis' },
);
