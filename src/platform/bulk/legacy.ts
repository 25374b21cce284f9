import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import type { ApiError } from '../http/api-error.ts';
import { errors, storedError } from '../http/errors.ts';
import type { EntityStore } from '../entity/store.ts';
import { errorResponses } from '../openapi/shared-schemas.ts';
import { bulkBodySchema } from './schemas.ts';
import type { BulkService } from './service.ts';
import type { BulkAction, BulkItem } from './store.ts';

/**
 * Hydrogen's older bulk paths, /nucleus/v1/bulk_<entity>, with the methods its specification
 * lists. They run as bulk jobs like /bulk/{entity_uri}, but answer as the specification says:
 * once the job is done, with the records themselves. An entity not declared is not served.
 */
const LEGACY_BULK: { entity: string; actions: BulkAction[] }[] = [
  { entity: 'aggregation_account', actions: ['create', 'update'] },
  { entity: 'aggregation_account_balance', actions: ['create'] },
  { entity: 'aggregation_account_holding', actions: ['create', 'update'] },
  { entity: 'aggregation_account_transaction', actions: ['create'] },
  { entity: 'bank_link', actions: ['update'] },
];

const METHOD = { create: 'POST', update: 'PUT', delete: 'DELETE' } as const;

/** One error for the items refused, naming each problem as data[position].field; the others stay applied. */
function refused(bulkId: string, total: number, items: BulkItem[]): ApiError {
  const first = items[0].error!;
  const problems = items.flatMap(({ position, error }) =>
    (error!.errors ?? [{ field: error!.field ?? '', message: error!.message }]).map((problem) => ({
      field: problem.field ? `data[${position}].${problem.field}` : `data[${position}]`,
      message: problem.message,
    })),
  );
  // The first item's own error, as stored, with the summary of the others as its message.
  return storedError(
    first,
    `${items.length} of ${total} items were refused and the others applied (bulk ${bulkId}); item ${items[0].position}: ${first.message}`,
    { field: problems[0].field, problems },
  );
}

/**
 * `waitMs` (LEGACY_BULK_WAIT_MS) is long enough by default for 100 items on a busy server; a
 * client whose job takes longer is told where to look.
 */
export function legacyBulkRoutes(app: FastifyInstance, service: BulkService, db: Database, stores: EntityStore[], waitMs: number): void {
  for (const { entity, actions } of LEGACY_BULK) {
    const store = stores.find((s) => s.declaration.name === entity);
    if (!store) continue;
    const record = { ...store.schemas.record, $id: undefined };
    for (const action of actions) {
      app.route({
        method: METHOD[action],
        url: `/bulk_${entity}`,
        schema: {
          tags: [store.declaration.tag],
          summary: `${action === 'create' ? 'Create' : 'Update'} ${entity} records in bulk`,
          description: 'Applies the items as a bulk job (see /bulk/{entity_uri}) and answers when it is done, with the records in the order sent.',
          operationId: `${action}_${entity}_bulk`,
          body: bulkBodySchema,
          response: { 200: { type: 'array', items: record }, ...errorResponses },
        },
        preValidation: async (request) => service.checkRequest(request.auth, entity, action, request.body),
        handler: async (request) => {
          const { auth } = request;
          const submitted = await service.submit(request, entity, action);
          const done = await service.waitUntilDone(auth, submitted.id, waitMs);
          if (done.status === 'Failed') {
            throw errors.bulkFailed({ reason: `The bulk job failed; see GET /nucleus/v1/bulk/status/${done.id} for the items applied` });
          }
          const items = await service.items(auth, done.id);
          const failed = items.filter((item) => item.state === 'failed');
          if (failed.length > 0) throw refused(done.id, items.length, failed);
          return Promise.all(items.map((item) => store.get(db, auth.tenantId, item.record_id!)));
        },
      });
    }
  }
}
