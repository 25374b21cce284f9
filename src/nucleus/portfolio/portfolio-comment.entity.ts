import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'portfolio_comment',
  title: 'PortfolioComment',
  tag: 'Portfolio',
  references: {
    account_id: 'account',
    model_comment_id: 'model_comment',
    model_id: 'model',
    portfolio_id: 'portfolio',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    model_comment_id: Type.String({ format: 'uuid' }),
    model_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
    is_read: Type.Optional(Type.Boolean()),
  }),
});
