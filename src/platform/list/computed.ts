import type { Queryable } from '../db/database.ts';
import type { JsonSchema } from '../entity/schemas.ts';
import { errors } from '../http/errors.ts';
import { compileFieldPath, SQL_CAST } from './field-paths.ts';
import { compileFilter, SqlParams } from './filter.ts';
import { offsetOf, pageOf, type ListQuery, type Page } from './paging.ts';

/**
 * Pages records that are computed rather than stored (aggregated holdings, overviews) with
 * exactly the filter, order_by and paging rules of a stored list: the records go to the
 * database as one JSON array and the same compiled SQL runs over its elements. `record`
 * describes the records' fields, as an entity's record schema does.
 */
export async function pageComputed<T extends object>(db: Queryable, items: readonly T[], record: JsonSchema, query: ListQuery): Promise<Page<T>> {
  const params = new SqlParams([JSON.stringify(items)]);
  const hidden = new Set<string>();
  const where = query.filter ? compileFilter(query.filter, record, hidden, params) : 'true';
  const orderExpr = compileFieldPath(query.order_by, { record, hidden, parameter: 'order_by' }, {
    leaf: (text, kind) => `(${text})::${SQL_CAST[kind]}`,
  });
  if (orderExpr.startsWith('EXISTS')) throw errors.invalidField({ field: 'order_by', problem: `cannot sort by a field inside a list (${query.order_by})` });
  const direction = query.ascending ? 'ASC' : 'DESC';
  // The stored-record columns exist here too, read from the elements, so filters on them compile the same way.
  const elements = `SELECT t.doc, t.n, (t.doc->>'id')::uuid AS id, (t.doc->>'create_date')::timestamptz AS create_date,
      (t.doc->>'update_date')::timestamptz AS update_date
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(doc, n)`;
  const [{ count }] = await db.query<{ count: string }>(`SELECT count(*) AS count FROM (${elements}) e WHERE ${where}`, params.values);
  const limit = params.add(query.size);
  const offset = params.add(offsetOf(query));
  const rows = await db.query<{ doc: T }>(
    `SELECT doc FROM (${elements}) e WHERE ${where} ORDER BY ${orderExpr} ${direction} NULLS LAST, n ${direction} LIMIT ${limit} OFFSET ${offset}`,
    params.values,
  );
  return pageOf(rows.map((r) => r.doc), Number(count), query);
}
