import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const FundingRequestMap = Type.Object(
  {
    funding_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'FundingRequestMap' },
);

export default defineEntity({
  name: 'overflow',
  title: 'Overflow',
  tag: 'Overflow',
  // POST /overflow computes a record from an overflow setting (OverflowVO), so it is not a
  // plain create; the engine serves the reads.
  operations: ['list', 'get'],
  references: {
    account_id: 'account',
    client_id: 'client',
    'funding_requests[].funding_id': 'funding',
    overflow_setting_id: 'overflow_setting',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    client_id: Type.String({ format: 'uuid' }),
    overflow_setting_id: Type.String({ format: 'uuid' }),
    total_overflow_amount: Type.Number(),
    funding_requests: Type.Optional(Type.Array(FundingRequestMap)),
    update_balances: Type.Optional(Type.Boolean()),
  }),
});
