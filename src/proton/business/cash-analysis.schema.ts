import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { businessId, clientId, currencyCode, currencyConversion, endDate, historyInterval, showHistory, startDate } from './request-fields.ts';
import { count, day, nullableNumber, periodBounds, reportCurrencyOut } from './response-fields.ts';

const CASH_SCOPES = ['all', 'external', 'internal'] as const;

export const CashAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      business_id: businessId(),
      client_id: clientId(),
      currency_code: currencyCode(),
      currency_conversion: currencyConversion(),
      start_date: startDate('First day analyzed; null for the day of the earliest transaction'),
      end_date: endDate('Last day analyzed'),
      scope: Type.Unsafe<(typeof CASH_SCOPES)[number]>({
        type: 'string',
        enum: [...CASH_SCOPES],
        default: 'all',
        description: 'Which transactions count: internal ones (is_transfer, money moved between own accounts), external ones (all others), or all',
      }),
      transaction_status_scope: Type.Union([Type.Array(Type.String()), Type.Null()], {
        default: null,
        description: 'Only transactions whose status is one of these; null for any status',
      }),
      only_cleansed: Type.Boolean({ default: false, description: 'Only transactions that have been categorized (bank_credit.category set)' }),
      show_history: showHistory(),
      history_frequency_interval: historyInterval(),
      show_inflow_details: Type.Boolean({ default: false, description: 'Break the inflows down by category' }),
      show_outflow_details: Type.Boolean({ default: false, description: 'Break the outflows down by category' }),
    },
    { additionalProperties: false },
  ),
);

const Flows = {
  inflows: moneyOut('Credits to the accounts'),
  outflows: moneyOut('Debits from the accounts'),
  net_cash_flow: moneyOut('inflows - outflows'),
};

const Balances = {
  opening_balance: moneyOut('Balance at the end of the day before the window: the latest balance record on or before it (0 when none)'),
  closing_balance: moneyOut('Balance at the end of the window, likewise'),
};

const Detail = Type.Object(
  {
    category: Type.Union([Type.String(), Type.Null()], { description: 'bank_credit.category; null for uncategorized transactions' }),
    amount: moneyOut('Sum of the transactions'),
    transaction_count: count('Transactions'),
    share: nullableNumber('amount / all inflows (or outflows), a fraction; null when that total is zero'),
  },
  { additionalProperties: false, title: 'CashFlowDetail' },
);

const details = (what: string) => Type.Union([Type.Array(Detail), Type.Null()], { description: `${what} by category, largest first, when asked for; else null` });

export const CashAnalysisResponse = Type.Object(
  {
    currency_code: reportCurrencyOut(),
    analysis_start: day('start_date, or the earliest transaction day (end_date when there is none)'),
    analysis_end: day('end_date as used'),
    summary: Type.Object(
      {
        account_count: count('Cash accounts read: active aggregation accounts with is_cash, of the business or client'),
        ...Balances,
        balance_change: moneyOut('closing_balance - opening_balance'),
        ...Flows,
        inflow_count: count('Credit transactions'),
        outflow_count: count('Debit transactions'),
      },
      { additionalProperties: false, title: 'CashSummary' },
    ),
    accounts: Type.Array(
      Type.Object(
        {
          aggregation_account_id: Type.String({ format: 'uuid' }),
          account_name: Type.String(),
          ...Balances,
          ...Flows,
        },
        { additionalProperties: false, title: 'CashAccount' },
      ),
      { description: 'Per cash account, by name' },
    ),
    history: Type.Union(
      [
        Type.Array(
          Type.Object({ ...periodBounds, ...Flows, closing_balance: moneyOut('Balance at the end of the period') }, { additionalProperties: false, title: 'CashHistoryEntry' }),
        ),
        Type.Null(),
      ],
      { description: 'Per period of the window when show_history; else null' },
    ),
    inflow_details: details('Inflows'),
    outflow_details: details('Outflows'),
  },
  { additionalProperties: false },
);
