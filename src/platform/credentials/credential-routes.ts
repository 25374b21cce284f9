import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Database } from '../db/database.ts';
import { listQuerySchema } from '../list/paging.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { noContent } from '../http/typebox-schemas.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { actorOf } from '../audit/actor.ts';
import { credentialManagersOnly, refuseMetricsGrant, superAdminGuard } from './credential-access.ts';
import {
  createManagedCredential,
  deleteManagedCredential,
  revokeCredential,
  rotateCredentialSecret,
  updateManagedCredential,
} from './credential-changes.ts';
import {
  apiCredentialCreateSchema,
  apiCredentialSchema,
  apiCredentialUpdateSchema,
  apiCredentialWithSecretSchema,
  credentialIdParams,
  rotateSchema,
} from './credential-schemas.ts';
import { getManagedCredential, listManagedCredentials } from './credential-view.ts';

export interface CredentialRoutesOptions {
  db: Database;
  maxPageSize: number;
}

const TAG = 'ApiCredential';

function changesOf(body: Static<typeof apiCredentialUpdateSchema>) {
  return { name: body.name, authorities: body.authorities, apps: body.apps, allowedIps: body.allowed_ips, rateLimit: body.rate_limit };
}

/** The rotation's body is optional: a rotation with the default grace period needs none. */
async function emptyBodyIfNone(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

/**
 * /admin/v1/api_credential: the tenant's API credentials (the client_id and secret pairs the
 * token endpoint takes), for its administrators. The operator tool (src/cli) goes through the
 * same services; both are recorded in the admin audit trail (audit/admin-audit.ts).
 */
export const credentialRoutes: FastifyPluginAsync<CredentialRoutesOptions> = async (app, { db, maxPageSize }) => {
  const routes = typedRoutes(app);
  routes.get('/api_credential', {
    config: { errors: [errors.invalidFilter, errors.invalidField] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'List API credentials',
      description: 'Never shows a secret. filter and order_by take the fields of the credential (not the nested secret fields).',
      operationId: 'getAllApiCredentialUsingGET',
      querystring: listQuerySchema(maxPageSize, 'create_date'),
      response: { 200: pageSchema(apiCredentialSchema, 'ApiCredential'), ...errorResponses },
    },
    handler: async (request) => listManagedCredentials(db, request.auth.tenantId, request.query),
  });

  routes.post('/api_credential', {
    config: { idempotency: false, errors: [errors.invalidField] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'Create an API credential',
      description:
        'Answers client_secret this once: only its hash is stored. Only a ROLE_SUPER_ADMIN may grant ROLE_SUPER_ADMIN; only the operator tool grants the metrics app.',
      operationId: 'createApiCredentialUsingPOST',
      body: apiCredentialCreateSchema,
      response: { 201: apiCredentialWithSecretSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const body = request.body;
      superAdminGuard(request.auth, body.authorities);
      refuseMetricsGrant(body.apps, []);
      const created = await createManagedCredential(db, request.auth.tenantId, { ...changesOf(body), name: body.name, authorities: body.authorities }, actorOf(request));
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  });

  routes.get('/api_credential/:credential_id', {
    config: { errors: [errors.notFound] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'Retrieve an API credential',
      operationId: 'getApiCredentialUsingGET',
      params: credentialIdParams,
      response: { 200: apiCredentialSchema, ...errorResponses },
    },
    handler: async (request) => getManagedCredential(db, request.auth.tenantId, request.params.credential_id),
  });

  routes.put('/api_credential/:credential_id', {
    config: { errors: [errors.notFound, errors.invalidField] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'Update an API credential',
      description:
        'Changes only the fields sent: name, authorities, apps, allowed_ips, rate_limit. New authorities revoke the tokens issued to ' +
        'the credential itself. apps, allowed_ips and rate_limit apply to tokens already issued, on every server process within 2 seconds.',
      operationId: 'updateApiCredentialUsingPUT',
      params: credentialIdParams,
      body: apiCredentialUpdateSchema,
      response: { 200: apiCredentialSchema, ...errorResponses },
    },
    handler: async (request) => {
      const body = request.body;
      const superAdmin = superAdminGuard(request.auth, body.authorities);
      return updateManagedCredential(db, request.auth.tenantId, request.params.credential_id, changesOf(body), actorOf(request), (current) => {
        superAdmin(current);
        refuseMetricsGrant(body.apps, current.apps);
      });
    },
  });

  routes.delete('/api_credential/:credential_id', {
    config: { errors: [errors.notFound] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'Delete an API credential and its tokens',
      operationId: 'deleteApiCredentialUsingDELETE',
      params: credentialIdParams,
      response: { 204: noContent('Deleted'), ...errorResponses },
    },
    handler: async (request, reply) => {
      await deleteManagedCredential(db, request.auth.tenantId, request.params.credential_id, actorOf(request), superAdminGuard(request.auth));
      return reply.code(204).send();
    },
  });

  routes.post('/api_credential/:credential_id/rotate', {
    config: { idempotency: false, errors: [errors.notFound, errors.credentialRevoked, errors.invalidField] },
    onRequest: credentialManagersOnly,
    preValidation: emptyBodyIfNone,
    schema: {
      tags: [TAG],
      summary: "Replace an API credential's secret",
      description:
        'Answers the new client_secret this once. The replaced secret stays accepted for grace_period_seconds (default ' +
        '86400; 0 refuses it at once). Tokens already issued keep working; revoke ends them.',
      operationId: 'rotateApiCredentialUsingPOST',
      params: credentialIdParams,
      body: rotateSchema,
      response: { 200: apiCredentialWithSecretSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const grace = request.body.grace_period_seconds;
      const rotated = await rotateCredentialSecret(db, request.auth.tenantId, request.params.credential_id, grace, actorOf(request), superAdminGuard(request.auth));
      return reply.header('cache-control', 'no-store').send(rotated);
    },
  });

  routes.post('/api_credential/:credential_id/revoke', {
    config: { errors: [errors.notFound] },
    onRequest: credentialManagersOnly,
    schema: {
      tags: [TAG],
      summary: 'Revoke an API credential and every token issued with it',
      description: 'For good. Refused at once on this server process, and on every other within 2 seconds.',
      operationId: 'revokeApiCredentialUsingPOST',
      params: credentialIdParams,
      response: { 200: apiCredentialSchema, ...errorResponses },
    },
    handler: async (request) => revokeCredential(db, request.auth.tenantId, request.params.credential_id, actorOf(request), superAdminGuard(request.auth)),
  });

};
