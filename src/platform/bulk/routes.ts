import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { PlatformDeps } from '../deps.ts';
import { bulkJobKind } from './processor.ts';
import { bulkBodySchema, bulkStatusSchema, bulkSummarySchema, bulkTransactionSchema } from './schemas.ts';
import { listQuerySchema } from '../list/paging.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { BulkService } from './service.ts';
import { legacyBulkRoutes } from './legacy.ts';
import { listBulks, type BulkAction } from './store.ts';

const ACTIONS: { method: 'POST' | 'PUT' | 'DELETE'; action: BulkAction; verb: string }[] = [
  { method: 'POST', action: 'create', verb: 'Create' },
  { method: 'PUT', action: 'update', verb: 'Update' },
  { method: 'DELETE', action: 'delete', verb: 'Delete' },
];

const entityParams = Type.Object({ entity_uri: Type.String({ description: 'The entity, as in its own path: client, account, model…' }) });

/**
 * /nucleus/v1/bulk: up to 100 writes of one entity in one request, applied by a durable job
 * through the EntityWriter, so each item gets the validation, webhooks and audit of a single
 * request, as the caller who sent the bulk.
 */
export const bulkRoutes: FastifyPluginAsync<PlatformDeps> = async (app, { config, db, stores, writer, jobs }) => {
  jobs.register(bulkJobKind(db, writer, config.bulkItemDelayMs));
  const service = new BulkService(db, writer, jobs);
  const routes = typedRoutes(app);

  for (const { method, action, verb } of ACTIONS) {
    routes.route({
      method,
      url: '/bulk/:entity_uri',
      schema: {
        tags: ['Bulk'],
        summary: `${verb} records of one entity in bulk`,
        description:
          'Answers at once with the bulk record (status Queued); the items are then applied in order, each as its single ' +
          'request would be. Follow them at GET /bulk/status/{id}.',
        operationId: `${action}_bulk`,
        params: entityParams,
        body: bulkBodySchema,
        response: { 200: bulkTransactionSchema, ...errorResponses },
      },
      preValidation: async (request) => service.checkRequest(request.auth, request.params.entity_uri, action, request.body),
      handler: async (request) => {
        const { id, status, create_date, update_date } = await service.submit(request, request.params.entity_uri, action);
        return { id, status, create_date, update_date };
      },
    });
  }

  routes.get('/bulk/status', {
    schema: {
      tags: ['Bulk'],
      summary: 'List bulk requests with their progress',
      description:
        'A Deuterium addition: the bulk requests of the tenant, newest first, each with its items counted by outcome; a token ' +
        'acting for a client sees only the bulks sent for that client. Filters: status, and filter on id, entity, action, status, ' +
        'item_count, create_date and update_date. Each item\'s outcome is at GET /bulk/status/{id}.',
      operationId: 'list_bulk_status',
      querystring: listQuerySchema(config.maxPageSize, 'create_date', { status: Type.Optional(bulkSummarySchema.properties.status) }),
      response: { 200: pageSchema(bulkSummarySchema, 'BulkTransactionSummary'), ...errorResponses },
    },
    handler: async (request) => listBulks(db, request.auth.tenantId, request.auth.clientId, request.query),
  });

  routes.get('/bulk/status/:id', {
    schema: {
      tags: ['Bulk'],
      summary: 'Status of a bulk request and the outcome of each item',
      operationId: 'get_bulk_status',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 200: bulkStatusSchema, ...errorResponses },
    },
    handler: async (request) => service.status(request.auth, request.params.id),
  });

  legacyBulkRoutes(app, service, db, stores, config.legacyBulkWaitMs);
};
