import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { EntityWriter, WriteOrigin } from './writer.ts';
import type { AccessControl } from '../acl/access-control.ts';
import type { Database } from '../db/database.ts';
import { listQuerySchema } from '../list/paging.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { noContent } from '../http/typebox-schemas.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import type { EntityStore } from './store.ts';
import { ALL_OPERATIONS, entityPath } from './declaration.ts';

export interface EntityRoutesOptions {
  db: Database;
  acl: AccessControl;
  stores: EntityStore[];
  writer: EntityWriter;
  maxPageSize: number;
}

export function originOf(request: FastifyRequest): WriteOrigin {
  return { auth: request.auth, method: request.method, url: request.url, requestId: String(request.id), body: request.body };
}

/** What a write of a record can be refused with, beyond what any request can (error-responses.ts). */
const WRITE_ERRORS = [errors.invalidField, errors.referenceNotFound, errors.duplicate];

/** The five operations every entity gets, under /nucleus/v1/{entity} (or the declaration's own path). */
export const entityRoutes: FastifyPluginAsync<EntityRoutesOptions> = async (app: FastifyInstance, options) => {
  const { db, stores, writer, acl, maxPageSize } = options;
  const routes = typedRoutes(app);
  const listQuery = listQuerySchema(maxPageSize);
  for (const store of stores) {
    const { name, tag, title } = store.declaration;
    const idParam = `${name}_id`;
    const params = Type.Object({ [idParam]: Type.String({ format: 'uuid' }) });
    const record = { ...store.schemas.record, $id: undefined };
    const base = `/${entityPath(store.declaration)}`;
    const byId = `${base}/:${idParam}`;
    const offered = new Set(store.declaration.operations ?? ALL_OPERATIONS);

    if (offered.has('create')) routes.post(base, {
      schema: {
        tags: [tag],
        summary: `Create a ${name}`,
        operationId: `create_${name}`,
        body: store.schemas.create,
        response: { 201: record, ...errorResponses },
      },
      config: { errors: WRITE_ERRORS },
      handler: async (request, reply) => {
        const created = await writer.create(name, request.body, originOf(request));
        return reply.code(201).send(created);
      },
    });

    if (offered.has('list')) routes.get(base, {
      schema: {
        tags: [tag],
        summary: `List ${name} records`,
        operationId: `list_${name}`,
        querystring: listQuery,
        response: { 200: pageSchema(record, title), ...errorResponses },
      },
      config: { errors: [errors.invalidFilter, errors.invalidField] },
      handler: async (request) =>
        store.list(db, request.auth.tenantId, request.query, acl.readScope(request.auth, name)),
    });

    if (offered.has('get')) routes.get(byId, {
      schema: {
        tags: [tag],
        summary: `Retrieve a ${name}`,
        operationId: `get_${name}`,
        params,
        response: { 200: record, ...errorResponses },
      },
      config: { errors: [errors.notFound] },
      handler: async (request) =>
        store.get(db, request.auth.tenantId, request.params[idParam], acl.readScope(request.auth, name)),
    });

    if (offered.has('update')) routes.put(byId, {
      schema: {
        tags: [tag],
        summary: `Update a ${name}`,
        description: 'Changes only the fields sent; returns the whole record.',
        operationId: `update_${name}`,
        params,
        body: store.schemas.update,
        response: { 200: record, ...errorResponses },
      },
      config: { errors: [errors.notFound, ...WRITE_ERRORS] },
      handler: async (request) => writer.update(name, request.params[idParam], request.body, originOf(request)),
    });

    if (offered.has('delete')) routes.delete(byId, {
      schema: {
        tags: [tag],
        summary: `Delete a ${name}`,
        operationId: `delete_${name}`,
        params,
        response: { 204: noContent('Deleted'), ...errorResponses },
      },
      config: { errors: [errors.notFound, errors.referenced] },
      handler: async (request, reply) => {
        await writer.remove(name, request.params[idParam], originOf(request));
        return reply.code(204).send();
      },
    });
  }
};
