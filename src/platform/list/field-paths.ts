import { errors } from '../http/errors.ts';
import type { JsonSchema } from '../entity/schemas.ts';

export type ScalarKind = 'string' | 'number' | 'boolean' | 'date-time' | 'date' | 'uuid';

/** A field kept in a real column (or an SQL expression over columns) rather than in the JSON document. */
export interface ColumnField {
  column: string;
  kind: ScalarKind;
}

/** The columns every entity table has. */
const COLUMN_FIELDS: Record<string, ColumnField> = {
  id: { column: 'id', kind: 'uuid' },
  create_date: { column: 'create_date', kind: 'date-time' },
  update_date: { column: 'update_date', kind: 'date-time' },
};

export function scalarKind(schema: JsonSchema): ScalarKind | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'string') {
    if (schema.format === 'date-time') return 'date-time';
    if (schema.format === 'date') return 'date';
    if (schema.format === 'uuid') return 'uuid';
    return 'string';
  }
  if (schema.anyOf || schema.enum || schema.const !== undefined) return 'string';
  return undefined;
}

export interface FieldContext {
  record: JsonSchema;
  /** Fields that may not be filtered or sorted on. */
  hidden: Set<string>;
  /** Which parameter is being read, for error messages. */
  parameter: 'filter' | 'order_by';
  /** For tables other than entity tables: their own columns, in place of id, create_date and update_date. */
  columns?: Record<string, ColumnField>;
  /** The alias the statement gives the table, when it names one; columns and the document are read through it. */
  alias?: string;
}

/** A path that passes through a list: the JSON a document holding `value` at the path contains, for a containment (@>) test. */
export type ListedPath = (value: unknown) => unknown;

export interface PathCompilers {
  /**
   * SQL for a scalar, given its value as a text expression; `inDocument` says it is read from
   * the JSON document as text rather than from a typed column.
   */
  leaf: (textExpr: string, kind: ScalarKind, inDocument: boolean, inList?: ListedPath) => string;
  /** When given, the path may end on any value and this receives its jsonb expression. */
  whole?: (jsonExpr: string) => string;
}

/**
 * Builds the SQL for a field path. Arrays on the way become EXISTS over their elements,
 * so "address.city==Boston" matches a client with any address in Boston.
 */
export function compileFieldPath(path: string, context: FieldContext, compilers: PathCompilers): string {
  const columns = context.columns ?? COLUMN_FIELDS;
  const column = Object.hasOwn(columns, path) ? columns[path] : undefined;
  const qualified = (name: string): string => (context.alias ? `${context.alias}.${name}` : name);
  if (column) {
    const expr = qualified(column.column);
    return compilers.whole ? compilers.whole(`to_jsonb(${expr})`) : compilers.leaf(expr, column.kind, false);
  }
  const segments = path.split('.');
  if (segments.some((s) => !/^[A-Za-z0-9_]+$/.test(s))) {
    throw errors.invalidField({ field: context.parameter, problem: `"${path}" is not a valid field name` });
  }
  if (context.hidden.has(segments[0])) {
    throw errors.invalidField({ field: context.parameter, problem: `field "${segments[0]}" cannot be used in ${context.parameter}` });
  }
  let depth = 0;
  // `text` is the value as text. A field's is written with ->>, the form the tables' expression
  // indexes are built on (tables.ts), so a condition on an indexed field can be served by its index.
  // `holding` wraps a value in the JSON that holds it at the path walked so far.
  let listed = false;
  const walk = (expr: string, schema: JsonSchema, rest: string[], holding: ListedPath, text = `(${expr} #>> '{}')`): string => {
    if (rest.length === 0 && compilers.whole) return compilers.whole(expr);
    if (schema.type === 'array' && schema.items) {
      const alias = `e${depth++}`;
      listed = true;
      const inner = walk(`${alias}.v`, schema.items, rest, (value) => holding([value]));
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ELSE '[]'::jsonb END) AS ${alias}(v) WHERE ${inner})`;
    }
    if (rest.length === 0) {
      const kind = scalarKind(schema);
      if (!kind) throw errors.invalidField({ field: context.parameter, problem: `field "${path}" is an object; name one of its fields` });
      return compilers.leaf(text, kind, true, listed ? holding : undefined);
    }
    const [next, ...remaining] = rest;
    const property = schema.properties?.[next];
    if (!property) throw errors.invalidField({ field: context.parameter, problem: `unknown field "${path}"` });
    return walk(`${expr}->'${next}'`, property, remaining, (value) => holding({ [next]: value }), `(${expr}->>'${next}')`);
  };
  return walk(qualified('doc'), context.record, segments, (value) => value);
}

export const SQL_CAST: Record<ScalarKind, string> = {
  string: 'text',
  number: 'numeric',
  boolean: 'boolean',
  'date-time': 'timestamptz',
  date: 'date',
  uuid: 'uuid',
};
