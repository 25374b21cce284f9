import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const FundingRequestMap = Type.Object(
  {
    funding_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'FundingRequestMap' },
);

export default defineEntity({
  name: 'roundup',
  title: 'Roundup',
  tag: 'Roundup',
  // POST /roundup computes a record from a roundup setting's transactions (RoundupCO), so it
  // is not a plain create; the engine serves the reads.
  operations: ['list', 'get'],
  references: {
    account_id: 'account',
    client_id: 'client',
    'funding_requests[].funding_id': 'funding',
    roundup_setting_id: 'roundup_setting',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    client_id: Type.String({ format: 'uuid' }),
    roundup_setting_id: Type.String({ format: 'uuid' }),
    funding_requests: Type.Optional(Type.Array(FundingRequestMap)),
    total_roundup_amount: Type.Optional(Type.Number()),
  }),
});
