import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { defaulted, stringEnum } from '../http/typebox-schemas.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { listQuerySchema } from '../list/paging.ts';
import { pageColumnTable, type ColumnTable } from '../list/column-page.ts';
import { actorOf } from '../audit/actor.ts';
import { findTenant, type Tenant } from '../auth/credentials.ts';
import { apiCredentialWithSecretSchema } from '../credentials/credential-schemas.ts';
import { rateLimitSchema, type RateLimitSettings } from '../rate-limit/rate-limits.ts';
import { ENVIRONMENTS } from './environment.ts';
import { createTenantWithAdministrator, setTenantEnvironment, setTenantRateLimit } from './tenant-changes.ts';
import { tenantSchema, tenantView, type TenantView } from './tenant-view.ts';
import { UUID } from '../entity/uuid.ts';

const TAG = 'Tenant';

const tenantIdParams = Type.Object({ tenant_id: Type.String({ maxLength: 36 }) });
const environment = stringEnum([...ENVIRONMENTS]);
const rateLimit = rateLimitSchema();

const TENANT_TABLE: ColumnTable = {
  select: 'SELECT id, name, environment, rate_limit, is_operator, create_date FROM tenant',
  from: 'tenant',
  qualifier: '',
  columns: {
    id: { column: 'id', kind: 'uuid' },
    name: { column: 'name', kind: 'string' },
    environment: { column: 'environment', kind: 'string' },
    is_operator: { column: 'is_operator', kind: 'boolean' },
    rate_limit: { column: 'rate_limit', kind: 'number' },
    create_date: { column: 'create_date', kind: 'date-time' },
  },
};

/**
 * Only the installation's operators manage tenants: the super-admins of its operator tenant,
 * the one made at first start. Everyone else manages only their own (/admin/v1/tenant).
 */
async function operatorsOnly(db: Database, request: FastifyRequest): Promise<void> {
  const caller = await findTenant(db, request.auth.tenantId);
  if (!caller?.is_operator || !request.auth.authorities.includes('ROLE_SUPER_ADMIN')) {
    throw errors.forbidden({ reason: "Only a ROLE_SUPER_ADMIN of the installation's operator tenant may manage tenants" });
  }
}

/** /admin/v1/tenants: every tenant of the installation, for its operators. Deuterium additions; the CLI's tenant commands do the same. */
export const operatorTenantRoutes: FastifyPluginAsync<{ db: Database; rateLimits: RateLimitSettings; maxPageSize: number }> = async (
  app,
  { db, rateLimits, maxPageSize },
) => {
  app.addHook('onRequest', (request) => operatorsOnly(db, request));
  const routes = typedRoutes(app);

  async function tenantOr404(id: string): Promise<Tenant> {
    const tenant = UUID.test(id) ? await findTenant(db, id) : undefined;
    if (!tenant || tenant.id !== id.toLowerCase()) throw errors.notFound({ reason: `No tenant with id ${id}` });
    return tenant;
  }

  routes.get('/tenants', {
    schema: {
      tags: [TAG],
      summary: 'List every tenant of the installation',
      description:
        'ROLE_SUPER_ADMIN of the operator tenant only. filter and order_by may name id, name, environment, is_operator, rate_limit ' +
        'and create_date (the default order, newest first).',
      querystring: listQuerySchema(maxPageSize, 'create_date'),
      response: { 200: pageSchema(tenantSchema, 'Tenant'), ...errorResponses },
    },
    handler: async (request) =>
      pageColumnTable<Tenant, TenantView>(db, TENANT_TABLE, null, request.query, (row) =>
        tenantView({ ...row, create_date: new Date(row.create_date).toISOString() }, rateLimits),
      ),
  });

  routes.post('/tenants', {
    config: { idempotency: false, errors: [errors.duplicate, errors.invalidField] },
    schema: {
      tags: [TAG],
      summary: 'Create a tenant and its first super-admin credential',
      description:
        'ROLE_SUPER_ADMIN of the operator tenant only. A sandbox tenant unless environment says production. Answers the tenant and ' +
        'its first ROLE_SUPER_ADMIN API credential, whose client_secret is shown this once; both are the first records of the new ' +
        "tenant's audit trail.",
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
          environment: Type.Optional(environment),
          rate_limit: Type.Optional(rateLimit),
          credential_name: defaulted(Type.String({ minLength: 1, maxLength: 255, default: 'super admin' })),
        },
        { additionalProperties: false },
      ),
      response: {
        201: {
          type: 'object',
          properties: { tenant: tenantSchema, credential: apiCredentialWithSecretSchema },
          required: ['tenant', 'credential'],
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const actor = actorOf(request);
      const made = await createTenantWithAdministrator(db, { name: body.name.trim(), environment: body.environment, credentialName: body.credential_name }, actor);
      if (body.rate_limit != null) await setTenantRateLimit(db, made.tenant.id, body.rate_limit, actor);
      return reply.code(201).send({ tenant: tenantView((await findTenant(db, made.tenant.id))!, rateLimits), credential: made.credential });
    },
  });

  routes.get('/tenants/:tenant_id', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: 'Retrieve a tenant',
      params: tenantIdParams,
      response: { 200: tenantSchema, ...errorResponses },
    },
    handler: async (request) => tenantView(await tenantOr404(request.params.tenant_id), rateLimits),
  });

  routes.put('/tenants/:tenant_id', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: "Change a tenant's environment or rate limit",
      description:
        'ROLE_SUPER_ADMIN of the operator tenant only. Changes only the fields sent; each change is recorded in the tenant\'s audit ' +
        'trail and applies to live tokens within 2 seconds. The operator tenant itself stays the operator tenant.',
      params: tenantIdParams,
      body: Type.Object({ environment: Type.Optional(environment), rate_limit: Type.Optional(rateLimit) }, { additionalProperties: false }),
      response: { 200: tenantSchema, ...errorResponses },
    },
    handler: async (request) => {
      const tenant = await tenantOr404(request.params.tenant_id);
      const body = request.body;
      const actor = actorOf(request);
      if (body.environment !== undefined) await setTenantEnvironment(db, tenant.id, body.environment, actor);
      if (body.rate_limit !== undefined) await setTenantRateLimit(db, tenant.id, body.rate_limit, actor);
      return tenantView((await findTenant(db, tenant.id))!, rateLimits);
    },
  });
};
