import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { stringEnum } from '../http/typebox-schemas.ts';
import { listQuerySchema } from '../list/paging.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { AUDIT_ACTIONS, listAudit } from './admin-audit.ts';

const dateTime = { type: 'string', format: 'date-time' };
const nullableString = { type: ['string', 'null'] };

export const auditRecordSchema = {
  type: 'object',
  title: 'AdminAuditRecord',
  properties: {
    id: { type: 'string', format: 'uuid' },
    action: { type: 'string', enum: [...AUDIT_ACTIONS] },
    credential_id: { type: ['string', 'null'], format: 'uuid', description: 'The API credential acted on, if any' },
    credential_client_id: nullableString,
    admin_user_id: { ...nullableString, description: 'The admin user (/admin/v1/client) acted on, if any: its id, an integer, as a string' },
    actor: {
      type: 'object',
      description:
        'via "api": the credential, admin user or client of the token (or of the sign-in in progress) and its address; ' +
        'via "cli": the operator tool; via "system": the server itself, creating the first tenant\'s credential at first start',
      properties: {
        via: { type: 'string', enum: ['api', 'cli', 'system'] },
        credential_id: { type: 'string' },
        admin_user_id: nullableString,
        nucleus_client_id: nullableString,
        ip: { type: 'string' },
      },
      required: ['via'],
    },
    details: { type: 'object', additionalProperties: true, description: 'What changed: names, lists, counts and times, never a secret, code or hash' },
    create_date: dateTime,
  },
  required: ['id', 'action', 'credential_id', 'credential_client_id', 'admin_user_id', 'actor', 'details', 'create_date'],
};

const filterProperties = {
  action: Type.Optional(stringEnum([...AUDIT_ACTIONS])),
  credential_id: Type.Optional(Type.String({ format: 'uuid' })),
  admin_user_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Records created at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Records created before this time' })),
};

/** The trail shows what every administrator did, so only the most powerful read it. */
async function superAdminsOnly(request: FastifyRequest): Promise<void> {
  if (!request.auth.authorities.includes('ROLE_SUPER_ADMIN')) throw errors.forbidden({ reason: 'Only ROLE_SUPER_ADMIN may read the admin audit trail' });
}

/** GET /admin/v1/audit_trail: every management action of the caller's tenant. */
export const adminAuditRoutes: FastifyPluginAsync<{ db: Database; maxPageSize: number }> = async (app, { db, maxPageSize }) => {
  const routes = typedRoutes(app);
  routes.get('/audit_trail', {
    onRequest: superAdminsOnly,
    schema: {
      tags: ['AdminAudit'],
      summary: 'List the admin audit trail',
      description:
        'Every management action of the tenant, by whom, newest first: API credentials, admin users, second factors, the tenant ' +
        'itself. Filters: action, credential_id, admin_user_id, from, to, and filter on the record\'s columns.',
      operationId: 'getAllAdminAuditUsingGET',
      querystring: listQuerySchema(maxPageSize, 'create_date', filterProperties),
      response: { 200: pageSchema(auditRecordSchema, 'AdminAuditRecord'), ...errorResponses },
    },
    handler: async (request) => listAudit(db, request.auth.tenantId, request.query),
  });
};
