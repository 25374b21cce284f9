import type { TObject } from 'typebox';
import type { Queryable } from '../../platform/db/database.ts';
import { errors } from '../../platform/http/errors.ts';
import { plain, type JsonSchema } from '../../platform/entity/schemas.ts';
import { compileFilter, SqlParams } from '../../platform/list/filter.ts';
import { compileFieldPath, SQL_CAST } from '../../platform/list/field-paths.ts';

/**
 * The fields an entity list reads from its table's own columns. A static row carries them (when
 * at all) in its document, from where they are read into columns of those names and types.
 */
const COLUMN_FIELDS = {
  id: { type: 'string', format: 'uuid' },
  create_date: { type: 'string', format: 'date-time' },
  update_date: { type: 'string', format: 'date-time' },
} satisfies Record<string, JsonSchema>;

const ELEMENT_COLUMNS = Object.keys(COLUMN_FIELDS)
  .map((name) => {
    const context = { record: { type: 'object', properties: COLUMN_FIELDS }, hidden: new Set<string>(), parameter: 'filter' as const, alias: 'e', columns: {} };
    return `${compileFieldPath(name, context, { leaf: (text, kind) => `${text}::${SQL_CAST[kind]}` })} AS ${name}`;
  })
  .join(', ');

export interface RowQuery {
  filter?: string;
  order_by?: string;
  ascending?: boolean;
}

/**
 * Reference rows that ship with the code (not kept in tables), listed with exactly the
 * filter and order_by semantics of every entity list: the rows go to the database as one
 * jsonb parameter and the entity lists' SQL compiler selects and orders them. The sets are at
 * most a few thousand rows, and a request without filter or order_by never reaches the database.
 */
export class StaticRows<T extends object> {
  private readonly json: string;
  private readonly record: JsonSchema;

  constructor(
    private readonly rows: readonly T[],
    schema: TObject,
  ) {
    this.json = JSON.stringify(rows);
    this.record = plain(schema) as unknown as JsonSchema;
  }

  async select(db: Queryable, query: RowQuery): Promise<T[]> {
    if (!query.filter && !query.order_by) return [...this.rows];
    const params = new SqlParams([this.json]);
    const hidden = new Set<string>();
    const where = query.filter ? compileFilter(query.filter, this.record, hidden, params) : 'true';
    let order = 'n';
    if (query.order_by) {
      const expr = compileFieldPath(query.order_by, { record: this.record, hidden, parameter: 'order_by' }, {
        leaf: (text, kind) => `(${text})::${SQL_CAST[kind]}`,
      });
      if (expr.startsWith('EXISTS')) throw errors.invalidField({ field: 'order_by', problem: `cannot sort by a field inside a list (${query.order_by})` });
      const direction = query.ascending ? 'ASC' : 'DESC';
      order = `${expr} ${direction} NULLS LAST, n ${direction}`;
    }
    const rows = await db.query<{ n: string | number }>(
      `SELECT n FROM (
         SELECT e.n, e.doc, ${ELEMENT_COLUMNS}
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, n)
       ) AS t
       WHERE ${where}
       ORDER BY ${order}`,
      params.values,
    );
    return rows.map((r) => this.rows[Number(r.n) - 1]);
  }
}
