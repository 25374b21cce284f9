import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { PeriodRow } from './breakdown.schema.ts';
import { HISTORY_INTERVALS, transactionStatusScope } from './card-fields.ts';

export const CardAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(Type.String({ format: 'uuid', description: "Only the client's cards" })),
      business_id: Type.Optional(Type.String({ format: 'uuid', description: "Only the business's cards: those naming it, and those of its clients" })),
      card_program_id: Type.Optional(Type.String({ format: 'uuid', description: "Only the program's cards" })),
      start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'First day analysed; the first transaction when null' }),
      end_date: Type.Optional(Type.String({ format: 'date', description: 'Last day analysed; today when absent' })),
      card_status_scope: Type.Union([Type.Array(Type.String()), Type.Null()], { default: null, description: 'Only cards whose status is one of these; null for every card' }),
      transaction_status_scope: transactionStatusScope(),
      currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Without currency_conversion: only transactions in this currency count' })),
      currency_conversion: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Convert every transaction to this currency through the stored FX rates of its day' })),
      show_history: Type.Boolean({ default: false, description: 'Report spending per history_frequency_interval' }),
      history_frequency_interval: Type.Unsafe<(typeof HISTORY_INTERVALS)[number]>({
        type: 'string',
        enum: [...HISTORY_INTERVALS],
        default: 'month',
        description: 'Calendar period of the history rows (weeks start on Monday)',
      }),
      response_limit: Type.Integer({ minimum: 1, maximum: 10000, default: 10, description: 'Most rows in each top list' }),
      show_top_cards: Type.Boolean({ default: false, description: 'List the cards that spent most' }),
      show_top_cardholders: Type.Boolean({ default: false, description: 'List the cardholders (clients) who spent most' }),
      show_top_businesses: Type.Boolean({ default: false, description: 'List the businesses whose cards spent most' }),
    },
    { additionalProperties: false },
  ),
);

const Top = (title: string, idField: string, description: string, extra: Record<string, ReturnType<typeof Type.Union>> = {}) =>
  Type.Object(
    {
      [idField]: Type.String({ format: 'uuid', description }),
      ...extra,
      spending: moneyOut('Spending in the analysis'),
      transactions: Type.Integer({ minimum: 0, description: 'Spending transactions in the analysis' }),
    },
    { additionalProperties: false, title },
  );

const topList = (row: ReturnType<typeof Top>, what: string) =>
  Type.Union([Type.Array(row), Type.Null()], { description: `${what}, largest spending first, at most response_limit rows; null unless asked` });

export const CardAnalysisResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount: currency_conversion, else currency_code; null when neither was asked' }),
    analysis_start: Type.String({ format: 'date', description: 'First day analysed' }),
    analysis_end: Type.String({ format: 'date', description: 'Last day analysed' }),
    total_spending: moneyOut('Spending of all the cards analysed'),
    transactions: Type.Integer({ minimum: 0, description: 'Spending transactions counted' }),
    average_transaction: moneyOut('total_spending / transactions; 0 without transactions'),
    cards: Type.Integer({ minimum: 0, description: 'Cards analysed' }),
    cards_with_spending: Type.Integer({ minimum: 0, description: 'Cards with at least one spending transaction' }),
    cardholders: Type.Integer({ minimum: 0, description: 'Distinct clients the cards belong to' }),
    history: Type.Union([Type.Array(PeriodRow), Type.Null()], { description: 'Spending per history period, oldest first (show_history); null otherwise' }),
    top_cards: topList(
      Top('CardAnalysisTopCard', 'card_id', 'The card', {
        client_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: "The card's client" }),
      }),
      'Cards',
    ),
    top_cardholders: topList(Top('CardAnalysisTopCardholder', 'client_id', 'The cardholder'), 'Cardholders'),
    top_businesses: topList(Top('CardAnalysisTopBusiness', 'business_id', 'The business: named by the card, else by its client'), 'Businesses'),
  },
  { additionalProperties: false },
);
