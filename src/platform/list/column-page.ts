import type { Queryable } from '../db/database.ts';
import { compileFilter, SqlParams } from './filter.ts';
import { compileFieldPath, SQL_CAST, type ColumnField } from './field-paths.ts';
import { offsetOf, pageOf, type ListQuery, type Page } from './paging.ts';

/** A tenant's table of typed columns rather than an entity document, such as admin users or API credentials. */
export interface ColumnTable {
  /** `SELECT … FROM <table> [alias]`: what each row of a page reads. */
  select: string;
  /** The table as the FROM of `select` names it, alias included: what the count reads. */
  from: string;
  /** What precedes `tenant_id` and `id` in conditions: the alias and a dot, or nothing. */
  qualifier: string;
  /** What filter and order_by may name. */
  columns: Record<string, ColumnField>;
}

const NO_DOCUMENT = { type: 'object', properties: {} };

/**
 * One page of the tenant's rows, filtered, ordered and counted by the same rules as entity
 * lists; of every row when tenantId is null, for the installation's own tables (tenants).
 */
export async function pageColumnTable<Row, T>(
  db: Queryable,
  table: ColumnTable,
  tenantId: string | null,
  query: ListQuery,
  serialize: (row: Row) => T,
  /** Conditions of the caller's own query parameters, beside `filter`, with their values added to params. */
  narrow: (params: SqlParams) => string[] = () => [],
): Promise<Page<T>> {
  const params = new SqlParams(tenantId === null ? [] : [tenantId]);
  const hidden = new Set<string>();
  const q = table.qualifier;
  const conditions = [tenantId === null ? 'true' : `${q}tenant_id = $1`, ...narrow(params)];
  if (query.filter) conditions.push(compileFilter(query.filter, NO_DOCUMENT, hidden, params, table.columns));
  const where = conditions.join(' AND ');
  const order = compileFieldPath(query.order_by, { record: NO_DOCUMENT, hidden, parameter: 'order_by', columns: table.columns }, {
    leaf: (text, kind) => `(${text})::${SQL_CAST[kind]}`,
  });
  const direction = query.ascending ? 'ASC' : 'DESC';
  const count = await db.query<{ count: string }>(`SELECT count(*) AS count FROM ${table.from} WHERE ${where}`, params.values);
  const limit = params.add(query.size);
  const offset = params.add(offsetOf(query));
  const rows = await db.query<Row>(
    `${table.select} WHERE ${where} ORDER BY ${order} ${direction} NULLS LAST, ${q}id ${direction} LIMIT ${limit} OFFSET ${offset}`,
    params.values,
  );
  return pageOf(rows.map(serialize), Number(count[0].count), query);
}
