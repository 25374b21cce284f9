import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { currencyCode, nullable, transactionStatusScope } from './card-fields.ts';
import { CARD_TRANSACTION_TYPES } from './spending-rules.ts';

export const CardAuthorizationRequest = defaultsOptional(
  Type.Object(
    {
      card_id: Type.String({ format: 'uuid', description: 'The Nucleus card the transaction is made with' }),
      amount: Type.Number({ exclusiveMinimum: 0, description: 'Amount of the transaction, in currency_code' }),
      currency_code: currencyCode('Currency of amount'),
      date: Type.String({ format: 'date-time', description: 'When the transaction is made; its UTC day places it in the limit windows' }),
      transaction_type: Type.Unsafe<(typeof CARD_TRANSACTION_TYPES)[number]>({ type: 'string', enum: [...CARD_TRANSACTION_TYPES], description: 'Kind of card transaction' }),
      partial_auth: Type.Boolean({ default: false, description: 'Approve the part a spending limit leaves when the whole amount does not fit' }),
      use_audit_log: Type.Boolean({ default: false, description: 'Write an audit_log record of the decision' }),
      cleanse_data: Type.Boolean({ default: false, description: 'Trim merchant and description and collapse inner runs of spaces before matching' }),
      auth_type: Type.Array(Type.Unsafe<'spending_control'>({ type: 'string', enum: ['spending_control'] }), {
        minItems: 1,
        default: ['spending_control'],
        description: 'What the decision checks: the spending controls that govern the card',
      }),
      transaction_status_scope: transactionStatusScope(),
      merchant: nullable(Type.String(), 'Merchant name, matched by merchant controls'),
      merchant_id: nullable(Type.String({ format: 'uuid' }), 'Merchant id, matched by merchant controls'),
      mid: nullable(Type.String(), 'Merchant identifier at the card network, matched by mid controls'),
      merchant_category_code: Type.Optional(Type.String({ description: 'Merchant category code, matched by mcc controls' })),
      transaction_category_id: nullable(Type.String({ format: 'uuid' }), 'Transaction category id, matched by transaction_category controls'),
      transaction_category: nullable(Type.String(), 'Transaction category name, matched by transaction_category controls'),
      location: Type.Optional(
        Type.Object(
          { country: nullable(Type.String(), 'Country where the transaction is made, matched by location controls') },
          { additionalProperties: false, description: 'Where the transaction is made' },
        ),
      ),
      description: nullable(Type.String(), 'Free text, kept in the audit record'),
      memo: nullable(Type.String(), 'Free text, kept in the audit record'),
    },
    {
      additionalProperties: false,
    },
  ),
);

export const DECISION_REASONS = ['approved', 'partially_approved', 'inactive_card', 'unsupported_control', 'deny_list', 'allow_list', 'transaction_limit', 'spending_limit'] as const;

export const CardAuthorizationResponse = Type.Object(
  {
    card_id: Type.String({ format: 'uuid', description: 'The card the transaction is made with' }),
    status: Type.Unsafe<'approved' | 'partially_approved' | 'declined'>({
      type: 'string',
      enum: ['approved', 'partially_approved', 'declined'],
      description: 'The decision: the whole amount, part of it (partial_auth), or nothing',
    }),
    requested_amount: moneyOut('The amount asked for'),
    approved_amount: moneyOut('The amount approved; 0 when declined'),
    currency_code: Type.String({ description: 'Currency of both amounts' }),
    reason: Type.Unsafe<(typeof DECISION_REASONS)[number]>({
      type: 'string',
      enum: [...DECISION_REASONS],
      description: 'Why: approved, partially_approved, or the rule that declined (inactive_card, unsupported_control, deny_list, allow_list, transaction_limit, spending_limit)',
    }),
    message: Type.String({ description: 'The reason in words' }),
    spending_control_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The control that decided: the one that declined, or the spending limit that cut a partial approval; null otherwise',
    }),
    authorization_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description:
        'Id of the hold an approval places on the limits; record the card transaction with this as its secondary_id to release the hold (it lapses after 7 days otherwise). Null when declined.',
    }),
    audit_log_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The audit_log record written (use_audit_log); null otherwise' }),
  },
  { additionalProperties: false },
);
