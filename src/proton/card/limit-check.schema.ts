import { Type } from 'typebox';
import { createLog, defaultsOptional } from '../request-fields.ts';
import { currencyCode, transactionStatusScope } from './card-fields.ts';

export const CardLimitCheckRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.String({ format: 'uuid', description: "The cardholder whose limits are checked, over all of the client's cards" }),
      currency_code: currencyCode('Currency the amount limits are reported in'),
      as_of_date: Type.Optional(Type.String({ format: 'date-time', description: 'The moment whose windows are reported; now when absent' })),
      transaction_status_scope: transactionStatusScope(),
      create_log: createLog(),
    },
    { additionalProperties: false },
  ),
);

const LimitRow = Type.Object(
  {
    spending_control_id: Type.String({ format: 'uuid', description: 'The limit control' }),
    control_type: Type.Unsafe<'spending_limit' | 'transaction_limit'>({ type: 'string', enum: ['spending_limit', 'transaction_limit'], description: 'An amount limit or a count of transactions' }),
    control_scope: Type.String({ description: 'Which transactions the limit counts, as stored on the control' }),
    control_values: Type.Array(Type.String(), { description: 'What the scope matches, as stored on the control' }),
    frequency_unit: Type.String({ description: 'The window unit; one_time limits each transaction on its own' }),
    frequency: Type.Integer({ minimum: 1, description: 'How many units the window spans, ending with the current one' }),
    window_start: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'First day of the window holding as_of_date; null for one_time' }),
    window_end: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Last day of that window; null for one_time' }),
    limit_value: Type.Number({ description: 'The limit: money in currency_code for a spending_limit, a number of transactions for a transaction_limit' }),
    used: Type.Number({ description: 'Spent (money, in currency_code, to the cent) or transactions made in the window, approvals still held included' }),
    remaining: Type.Number({ minimum: 0, description: 'limit_value - used, never below zero; for one_time, the whole limit' }),
    is_exceeded: Type.Boolean({ description: 'Nothing more fits: remaining is zero' }),
  },
  { additionalProperties: false, title: 'CardLimitCheckRow' },
);

export const CardLimitCheckResponse = Type.Object(
  {
    client_id: Type.String({ format: 'uuid', description: 'The cardholder' }),
    currency_code: Type.String({ description: 'Currency of every amount' }),
    as_of_date: Type.String({ format: 'date-time', description: 'The moment checked' }),
    limits: Type.Array(LimitRow, { description: "One row per active limit control that governs the client's cards (its own, its groups', the program's), oldest control first" }),
  },
  { additionalProperties: false },
);
