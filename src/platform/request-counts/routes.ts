import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { errorResponses } from '../openapi/shared-schemas.ts';
import { isAdministrator } from '../acl/policy.ts';
import { FLUSH_INTERVAL_MS, type RequestCounter } from './counter.ts';

const countsSchema = {
  type: 'object',
  properties: {
    requests: { type: 'integer' },
    client_errors: { type: 'integer', description: 'Answered 4xx' },
    server_errors: { type: 'integer', description: 'Answered 5xx' },
  },
  required: ['requests', 'client_errors', 'server_errors'],
} as const;

interface Row {
  api: string;
  requests: string;
  client_errors: string;
  server_errors: string;
}

/** GET /admin/v1/tenant/requests: the tenant's API requests of one UTC day. A Deuterium addition. */
export const requestCountRoutes: FastifyPluginAsync<{ db: Database; counter: RequestCounter }> = async (app, { db, counter }) => {
  typedRoutes(app).get('/tenant/requests', {
    schema: {
      tags: ['Tenant'],
      summary: "The tenant's API requests of one day, and how many were answered with an error",
      description:
        "Requests with a valid token of the tenant's credentials, by API (admin, nucleus, proton, electron, hydro), on one UTC day " +
        `(today unless given). This process's own requests count at once; another server process's within ${FLUSH_INTERVAL_MS / 1000} s. ` +
        'ROLE_SUPER_ADMIN and ROLE_ADMIN only.',
      querystring: Type.Object({ date: Type.Optional(Type.String({ format: 'date', description: 'A UTC day, YYYY-MM-DD; today when left out' })) }),
      response: {
        200: {
          type: 'object',
          properties: {
            date: { type: 'string', format: 'date' },
            total: countsSchema,
            by_api: { type: 'array', items: { ...countsSchema, properties: { api: { type: 'string' }, ...countsSchema.properties } } },
          },
          required: ['date', 'total', 'by_api'],
        },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      if (!isAdministrator(request.auth.authorities)) throw errors.forbidden({ reason: "Only ROLE_SUPER_ADMIN and ROLE_ADMIN may read the tenant's request counts" });
      const date = request.query.date ?? new Date().toISOString().slice(0, 10);
      await counter.flush();
      const rows = await db.query<Row>(
        'SELECT api, requests, client_errors, server_errors FROM request_count WHERE tenant_id = $1 AND day = $2 ORDER BY api',
        [request.auth.tenantId, date],
      );
      const byApi = rows.map((r) => ({ api: r.api, requests: Number(r.requests), client_errors: Number(r.client_errors), server_errors: Number(r.server_errors) }));
      const sum = (field: 'requests' | 'client_errors' | 'server_errors') => byApi.reduce((total, r) => total + r[field], 0);
      return { date, total: { requests: sum('requests'), client_errors: sum('client_errors'), server_errors: sum('server_errors') }, by_api: byApi };
    },
  });
};
