import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const SCORE_TYPES = [
  'goal_achievement_score',
  'portfolio_optimization_score',
  'credit_score',
  'dimensional_risk_score',
  'diversification_score',
  'risk_score',
  'risk_profile',
];

export default defineEntity({
  name: 'score',
  title: 'Score',
  tag: 'Score',
  references: {
    account_id: 'account',
    allocation_id: 'allocation',
    benchmark_id: 'benchmark',
    client_id: 'client',
    goal_id: 'goal',
    model_id: 'model',
    portfolio_id: 'portfolio',
    security_id: 'security',
  },
  schema: Type.Object({
    score_type: Type.Enum(SCORE_TYPES, { type: 'string' }),
    score_value: Type.String(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    allocation_id: Type.Optional(Type.String({ format: 'uuid' })),
    benchmark_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    goal_id: Type.Optional(Type.String({ format: 'uuid' })),
    model_id: Type.Optional(Type.String({ format: 'uuid' })),
    portfolio_id: Type.Optional(Type.String({ format: 'uuid' })),
    score_time_stamp: Type.Optional(Type.String({ format: 'date-time' })),
    security_id: Type.Optional(Type.String({ format: 'uuid' })),
  }),
});
