import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { errorResponses } from '../openapi/shared-schemas.ts';
import { isAdministrator } from '../acl/policy.ts';
import { actorOf } from '../audit/actor.ts';
import { findTenant } from '../auth/credentials.ts';
import { requireSandbox } from './environment.ts';
import { tenantSchema, tenantView } from './tenant-view.ts';
import { resetTenant, totalOf } from './reset.ts';
import { setTenantRateLimit } from './tenant-changes.ts';
import { rateLimitSchema, type RateLimitSettings } from '../rate-limit/rate-limits.ts';

const TAG = 'Tenant';

/** /admin/v1/tenant: the caller's own tenant, and the reset of a sandbox one. Deuterium additions. */
export const tenantRoutes: FastifyPluginAsync<{ db: Database; rateLimits: RateLimitSettings }> = async (app, { db, rateLimits }) => {
  const routes = typedRoutes(app);
  const ownTenant = async (tenantId: string) => tenantView((await findTenant(db, tenantId))!, rateLimits);

  routes.get('/tenant', {
    schema: {
      tags: [TAG],
      summary: "The caller's tenant and its environment (sandbox or production)",
      response: { 200: tenantSchema, ...errorResponses },
    },
    handler: async (request) => {
      if (!isAdministrator(request.auth.authorities)) throw errors.forbidden({ reason: 'Only ROLE_SUPER_ADMIN and ROLE_ADMIN may read the tenant' });
      return ownTenant(request.auth.tenantId);
    },
  });

  routes.post('/tenant/reset', {
    config: { errors: [errors.sandboxOnly, errors.invalidField] },
    schema: {
      tags: [TAG],
      summary: "Remove all of a sandbox tenant's data",
      description:
        "ROLE_SUPER_ADMIN only, sandbox tenants only (403 sandbox_only otherwise), with confirm=<the tenant's name>. In one transaction, " +
        'removes every record of the tenant (Nucleus, Electron, Hydro, webhooks, bulk jobs, idempotency keys, audit log) and keeps its API ' +
        'credentials, admin users and their second factors, live tokens and the admin audit trail, where the reset is recorded. Answers ' +
        'the rows removed per table. Needs the delete scope.',
      querystring: Type.Object({ confirm: Type.String({ description: "The tenant's name, to show the reset is meant" }) }),
      response: {
        200: {
          type: 'object',
          properties: {
            tenant: tenantSchema,
            removed: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Rows removed, by table' },
            total: { type: 'integer' },
          },
          required: ['tenant', 'removed', 'total'],
        },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      if (!request.auth.authorities.includes('ROLE_SUPER_ADMIN')) throw errors.forbidden({ reason: 'Only a ROLE_SUPER_ADMIN may reset the tenant' });
      const tenant = await ownTenant(request.auth.tenantId);
      await requireSandbox(db, tenant.id, 'Resetting a tenant');
      if (request.query.confirm !== tenant.name) {
        throw errors.invalidField({ field: 'confirm', problem: `must be the tenant's name, "${tenant.name}", to show the reset is meant` });
      }
      const removed = await resetTenant(db, tenant.id, actorOf(request));
      request.log.warn({ tenant: tenant.id, removed }, 'tenant reset');
      return { tenant, removed, total: totalOf(removed) };
    },
  });
  routes.put('/tenant', {
    schema: {
      tags: [TAG],
      summary: "Set the tenant's rate limit",
      description:
        'ROLE_SUPER_ADMIN only. rate_limit is the number of requests per window each API credential of the tenant may make, ' +
        "on all server processes together, unless the credential sets its own; 0 for no limit, null for the environment's default. " +
        'Applies to live tokens within 2 seconds.',
      body: Type.Object({ rate_limit: rateLimitSchema() }, { additionalProperties: false }),
      response: { 200: tenantSchema, ...errorResponses },
    },
    handler: async (request) => {
      if (!request.auth.authorities.includes('ROLE_SUPER_ADMIN')) throw errors.forbidden({ reason: "Only a ROLE_SUPER_ADMIN may change the tenant's rate limit" });
      const { rate_limit: rateLimit } = request.body;
      await setTenantRateLimit(db, request.auth.tenantId, rateLimit, actorOf(request));
      return ownTenant(request.auth.tenantId);
    },
  });
};
