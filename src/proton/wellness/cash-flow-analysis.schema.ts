import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut, moneyOut } from '../response-fields.ts';
import {
  accountIds,
  aggregationAccountIds,
  clientId,
  currencyCode,
  currencyConversion,
  householdId,
  onlyCleansed,
  optionalDay,
  sourceScope,
  statusScope,
} from './wellness-fields.ts';

export const CashFlowAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(clientId()),
      household_id: Type.Optional(householdId()),
      account_ids: accountIds(),
      aggregation_account_ids: aggregationAccountIds(),
      scope: sourceScope(),
      start_date: optionalDay('First day analysed; when null, one month before end_date'),
      end_date: optionalDay('Last day analysed; when null, today (UTC)'),
      benchmark_start_date: optionalDay('First day of the window compared against; give both benchmark dates or neither'),
      benchmark_end_date: optionalDay('Last day of the window compared against; when both are null, the window of as many days just before start_date'),
      show_history: Type.Boolean({ default: false, description: 'Add income, spending and net of each calendar month of the window' }),
      show_income_details: Type.Boolean({ default: false, description: 'Add income by category and by merchant' }),
      show_spending_details: Type.Boolean({ default: false, description: 'Add spending by category and by merchant' }),
      transaction_status_scope: statusScope(),
      only_cleansed: onlyCleansed(),
      currency_code: Type.Optional(currencyCode()),
      currency_conversion: Type.Optional(currencyConversion()),
    },
    { additionalProperties: false },
  ),
);

const changeFields = {
  total: moneyOut('In the analysis window'),
  benchmark_total: moneyOut('In the benchmark window'),
  change: moneyOut('total - benchmark_total'),
  change_percent: Type.Union([fractionOut('change / |benchmark_total|'), Type.Null()], { description: 'change / |benchmark_total|, a fraction; null when the benchmark is zero' }),
};

const FlowSummary = Type.Object(
  {
    ...changeFields,
    transaction_count: Type.Integer({ minimum: 0, description: 'Transactions in the analysis window' }),
    benchmark_transaction_count: Type.Integer({ minimum: 0, description: 'Transactions in the benchmark window' }),
  },
  { additionalProperties: false, title: 'CashFlowSummary' },
);

const Breakdown = Type.Object(
  {
    ...changeFields,
    share: fractionOut('Part of the whole income (or spending) of the analysis window'),
    transaction_count: Type.Integer({ minimum: 0, description: 'Transactions in the analysis window' }),
  },
  { additionalProperties: false },
);

const Details = Type.Object(
  {
    by_category: Type.Array(
      Type.Object({ category: Type.Union([Type.String(), Type.Null()], { description: 'null for transactions without one' }), ...Breakdown.properties }, { additionalProperties: false }),
      { description: 'Largest total first' },
    ),
    by_merchant: Type.Array(
      Type.Object({ merchant: Type.Union([Type.String(), Type.Null()], { description: 'null for transactions without one' }), ...Breakdown.properties }, { additionalProperties: false }),
      { description: 'Largest total first' },
    ),
  },
  { additionalProperties: false, title: 'CashFlowDetails' },
);

export const CashFlowAnalysisResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount; null when no transaction records one' }),
    analysis_start_date: Type.String({ format: 'date', description: 'First day analysed' }),
    analysis_end_date: Type.String({ format: 'date', description: 'Last day analysed' }),
    benchmark_start_date: Type.String({ format: 'date', description: 'First day of the benchmark window' }),
    benchmark_end_date: Type.String({ format: 'date', description: 'Last day of the benchmark window' }),
    income_summary: { ...FlowSummary, description: 'Money in' },
    spending_summary: { ...FlowSummary, description: 'Money out' },
    net_summary: Type.Object(changeFields, { additionalProperties: false, description: 'Income minus spending' }),
    income_details: Type.Optional(Details),
    spending_details: Type.Optional(Details),
    history: Type.Optional(
      Type.Array(
        Type.Object(
          {
            period_start: Type.String({ format: 'date', description: 'First day of the month in the window' }),
            period_end: Type.String({ format: 'date', description: 'Last day of the month in the window' }),
            income: moneyOut('Money in'),
            spending: moneyOut('Money out'),
            net: moneyOut('income - spending'),
          },
          { additionalProperties: false },
        ),
        { description: 'Each calendar month of the analysis window, cut to it; with show_history' },
      ),
    ),
  },
  { additionalProperties: false, title: 'CashFlowAnalysis' },
);
