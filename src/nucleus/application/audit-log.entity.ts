import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'audit_log',
  title: 'AuditLog',
  tag: 'Utils',
  webhookService: 'audit_log',
  // The ids name what a request touched; a log outlives those records, so they are not references.
  operations: ['create', 'list', 'get'],
  schema: Type.Object({
    request_url: Type.String(),
    response: Type.String(),
    account_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    aggregation_account_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    allocation_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    client_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    goal_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    model_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    portfolio_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
    request: Type.Optional(Type.String()),
    security_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
  }),
});
