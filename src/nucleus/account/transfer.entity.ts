import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'transfer',
  title: 'ExternalAccountTransfer',
  tag: 'Funding',
  references: {
    account_id: 'account',
    account_type_id: 'account_type',
  },
  schema: Type.Object({
    account_holder: Type.String(),
    account_id: Type.String({ format: 'uuid' }),
    account_number: Type.String(),
    account_type_id: Type.String({ format: 'uuid' }),
    firm_name: Type.String(),
    transfer_all_cash: Type.Boolean(),
    transfer_date: Type.String({ format: 'date' }),
    amount: Type.Optional(Type.Number()),
    comment: Type.Optional(Type.String()),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    dtc_number: Type.Optional(Type.String()),
    received_date: Type.Optional(Type.String({ format: 'date-time' })),
    roth_five_year: Type.Optional(Type.Integer()),
    status: Type.Optional(Type.String()),
    status_time_stamp: Type.Optional(Type.String({ format: 'date-time' })),
    transfer_type: Type.Optional(Type.String()),
  }),
});
