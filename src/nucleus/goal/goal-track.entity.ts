import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const GoalTrackAccounts = Type.Object(
  {
    account_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false, title: 'GoalTrackAccounts' },
);

export default defineEntity({
  name: 'goal_track',
  title: 'GoalTrack',
  tag: 'Goal',
  references: {
    'accounts[].account_id': 'account',
    client_id: 'client',
    goal_id: 'goal',
  },
  schema: Type.Object({
    goal_id: Type.String({ format: 'uuid' }),
    status_time_stamp: Type.String({ format: 'date-time' }),
    accounts: Type.Optional(Type.Array(GoalTrackAccounts)),
    accumulation_horizon: Type.Optional(Type.Number()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    current_investment: Type.Optional(Type.Number()),
    decumulation_horizon: Type.Optional(Type.Number()),
    goal_achievement_score: Type.Optional(Type.Number()),
    goal_amount: Type.Optional(Type.Number()),
    goal_probability: Type.Optional(Type.Number()),
    on_track: Type.Optional(Type.Boolean()),
    progress: Type.Optional(Type.Number()),
    projection_balance: Type.Optional(Type.Number()),
    projection_date: Type.Optional(Type.String({ format: 'date' })),
  }),
});
