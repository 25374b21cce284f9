import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const PortfolioGoalMap = Type.Object(
  {
    goal_id: Type.String({ format: 'uuid' }),
    weight: Type.Number(),
  },
  { additionalProperties: false, title: 'PortfolioGoalMap' },
);

export default defineEntity({
  name: 'portfolio_goal',
  title: 'PortfolioGoal',
  tag: 'Portfolio',
  references: {
    'goals[].goal_id': 'goal',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    date: Type.String({ format: 'date' }),
    goals: Type.Array(PortfolioGoalMap),
    portfolio_id: Type.String({ format: 'uuid' }),
  }),
});
