import { pageColumnTable, type ColumnTable } from '../platform/list/column-page.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { listQuerySchema } from '../platform/list/paging.ts';
import { errorResponses, pageSchema } from '../platform/openapi/shared-schemas.ts';
import type { Hydro } from './context.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;

const APPLICATION_CLIENTS = `(SELECT c.tenant_id, c.hydro_id AS id, c.hydro_id, c.application_id, a.name AS application_name, c.create_date
  FROM hydro_application_client c JOIN hydro_application a ON a.tenant_id = c.tenant_id AND a.id = c.application_id) c`;

/** A list's table, with create_date as its default order (newest first). */
interface Listed {
  path: string;
  summary: string;
  title: string;
  item: { type: 'object'; properties: Record<string, object>; required: string[] };
  table: ColumnTable;
}

const LISTS: Listed[] = [
  {
    path: '/whitelist',
    summary: "List the partner's whitelisted addresses",
    title: 'HydroAddress',
    item: {
      type: 'object',
      properties: { hydro_address_id: { type: 'string', format: 'uuid' }, address: { type: 'string' }, transaction_hash: { type: 'string' }, create_date: dateTime },
      required: ['hydro_address_id', 'address', 'transaction_hash', 'create_date'],
    },
    table: {
      select: 'SELECT id AS hydro_address_id, address, whitelist_transaction_hash AS transaction_hash, create_date FROM hydro_address',
      from: 'hydro_address',
      qualifier: '',
      columns: { id: { column: 'id', kind: 'uuid' }, address: { column: 'address', kind: 'string' }, create_date: { column: 'create_date', kind: 'date-time' } },
    },
  },
  {
    path: '/application',
    summary: "List the partner's client-side Raindrop applications",
    title: 'HydroApplication',
    item: {
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, create_date: dateTime },
      required: ['id', 'name', 'create_date'],
    },
    table: {
      select: 'SELECT id, name, create_date FROM hydro_application',
      from: 'hydro_application',
      qualifier: '',
      columns: { id: { column: 'id', kind: 'uuid' }, name: { column: 'name', kind: 'string' }, create_date: { column: 'create_date', kind: 'date-time' } },
    },
  },
  {
    // A HydroID registered on the chain belongs to no partner; the partner's are those its applications hold.
    path: '/application/client',
    summary: "List the HydroIDs registered with the partner's applications",
    title: 'HydroApplicationClient',
    item: {
      type: 'object',
      properties: { hydro_id: { type: 'string' }, application_id: { type: 'string', format: 'uuid' }, application_name: { type: 'string' }, create_date: dateTime },
      required: ['hydro_id', 'application_id', 'application_name', 'create_date'],
    },
    table: {
      // The registration's HydroID stands in for the id that orders rows of equal dates.
      select: `SELECT hydro_id, application_id, application_name, create_date FROM ${APPLICATION_CLIENTS}`,
      from: APPLICATION_CLIENTS,
      qualifier: 'c.',
      columns: {
        hydro_id: { column: 'c.hydro_id', kind: 'string' },
        application_id: { column: 'c.application_id', kind: 'uuid' },
        create_date: { column: 'c.create_date', kind: 'date-time' },
      },
    },
  },
];

function serialize(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, create_date: new Date(row.create_date as string).toISOString() };
}

/** Reads of what the partner whitelisted and registered, which the API only wrote before. Deuterium additions. */
export function listRoutes(app: TypedRoutes, hydro: Hydro): void {
  const query = listQuerySchema(hydro.config.maxPageSize, 'create_date');
  for (const list of LISTS) {
    app.get(list.path, {
      schema: {
        tags: ['Hydro'],
        summary: list.summary,
        description: `A Deuterium addition. Paged and filtered as other lists (filter on ${Object.keys(list.table.columns).join(', ')}); newest first.`,
        querystring: query,
        response: { 200: pageSchema(list.item, list.title), ...errorResponses },
      },
      handler: async (request) => pageColumnTable(hydro.db, list.table, request.auth.tenantId, request.query, serialize),
    });
  }
}
