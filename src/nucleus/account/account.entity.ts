import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const ClientAccountMapping = Type.Object(
  {
    client_id: Type.String({ format: 'uuid' }),
    client_account_association_type: Type.String({
      minLength: 1,
      description: 'How the client relates to the account, for example "owner", "joint" or "trustee"',
    }),
    signature_data: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'ClientAccountMapping' },
);

const GoalAccountMapping = Type.Object(
  {
    goal_id: Type.String({ format: 'uuid' }),
    goal_amount: Type.Optional(Type.Number()),
    accumulation_horizon: Type.Optional(Type.Number({ minimum: 0 })),
    decumulation_horizon: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false, title: 'GoalAccountMapping' },
);

export default defineEntity({
  name: 'account',
  title: 'Account',
  tag: 'Account',
  webhookService: 'account',
  references: { account_type_id: 'account_type', 'clients[].client_id': 'client', 'goals[].goal_id': 'goal' },
  schema: Type.Object({
    name: Type.String({ minLength: 1 }),
    account_type_id: Type.String({ format: 'uuid' }),
    account_number: Type.Optional(Type.String()),
    clients: Type.Optional(Type.Array(ClientAccountMapping)),
    goals: Type.Optional(Type.Array(GoalAccountMapping)),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
    discretionary: Type.Optional(Type.Boolean()),
    managed: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
  }),
});
