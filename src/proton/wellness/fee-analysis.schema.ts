import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { FEE_RULES, FEE_TYPE_NAMES } from './fees.ts';
import { aggregationAccountIds, clientId, currencyCode, currencyConversion, optionalDay, statusScope } from './wellness-fields.ts';

export const FeeAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(clientId()),
      aggregation_account_ids: aggregationAccountIds(),
      start_date: optionalDay('First day analysed; when null, twelve months before end_date'),
      end_date: Type.Optional(Type.String({ format: 'date', description: 'Last day analysed; today (UTC) when absent' })),
      transaction_status_scope: statusScope(),
      currency_code: Type.Optional(currencyCode()),
      currency_conversion: Type.Optional(currencyConversion()),
    },
    { additionalProperties: false },
  ),
);

const totals = {
  total: moneyOut('Fees charged'),
  refunds: moneyOut('Fees refunded'),
  net: moneyOut('total - refunds'),
  count: Type.Integer({ minimum: 0, description: 'Fees charged (refunds not counted)' }),
};

const feeType = () => Type.Unsafe<string>({ type: 'string', enum: FEE_TYPE_NAMES, description: 'Kind of fee, from the words of the transaction (see docs/proton-wellness.md)' });

const FoundFee = Type.Object(
  {
    transaction_id: Type.String({ format: 'uuid', description: 'The aggregation account transaction' }),
    aggregation_account_id: Type.String({ format: 'uuid', description: 'Account it was charged to' }),
    date: Type.String({ format: 'date', description: 'Day of the transaction (UTC)' }),
    amount: moneyOut('The fee, or the refund'),
    is_refund: Type.Boolean({ description: 'Money coming back: a fee refunded' }),
    fee_type: feeType(),
    rule: Type.Unsafe<string>({
      type: 'string',
      enum: [...FEE_RULES],
      description: 'is_fee: marked so in Nucleus; category: its category names a fee or charge; description: its description or merchant does; trade_fee: the fee of a trade',
    }),
    description: Type.Union([Type.String(), Type.Null()], { description: 'As recorded (or its memo); null when none' }),
    merchant: Type.Union([Type.String(), Type.Null()], { description: 'As recorded; null when none' }),
    category: Type.Union([Type.String(), Type.Null()], { description: 'As recorded; null when none' }),
  },
  { additionalProperties: false, title: 'FoundFee' },
);

export const FeeAnalysisResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount; null when no transaction records one' }),
    analysis_start_date: Type.String({ format: 'date', description: 'First day analysed' }),
    analysis_end_date: Type.String({ format: 'date', description: 'Last day analysed' }),
    total_fees: moneyOut('All fees charged'),
    total_refunds: moneyOut('All fees refunded'),
    net_fees: moneyOut('total_fees - total_refunds'),
    fee_count: Type.Integer({ minimum: 0, description: 'Fees charged' }),
    refund_count: Type.Integer({ minimum: 0, description: 'Fees refunded' }),
    by_type: Type.Array(Type.Object({ fee_type: feeType(), ...totals }, { additionalProperties: false }), { description: 'Per kind of fee, largest net first' }),
    by_account: Type.Array(
      Type.Object({ aggregation_account_id: Type.String({ format: 'uuid' }), account_name: Type.String({ description: "The account's account_name" }), ...totals }, { additionalProperties: false }),
      { description: 'Per aggregation account, largest net first' },
    ),
    by_month: Type.Array(Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'Calendar month, YYYY-MM' }), ...totals }, { additionalProperties: false }), {
      description: 'Per calendar month with a fee or refund, in time order',
    }),
    fees: Type.Array(FoundFee, { description: 'Every fee and refund found, in date order' }),
  },
  { additionalProperties: false, title: 'FeeAnalysis' },
);
