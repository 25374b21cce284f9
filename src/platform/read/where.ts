import type { SqlParams } from '../list/filter.ts';
import { SQL_CAST } from '../list/field-paths.ts';
import type { EntityName, EntityRecord, FieldOf } from '../entity/entity-records.ts';
import type { FieldExpressions, FieldSql } from './fields.ts';

type Value<V> = Exclude<V, undefined>;

/**
 * A condition on one field. A plain value is equality (null: the field is absent or null);
 * `in` is one of a list; `not` is anything but the value (for a boolean, a missing field is
 * "not true" and "not false" alike); the bounds compare in the field's own order.
 */
export type Condition<V> =
  | Value<V>
  | null
  | { in: readonly Value<V>[] }
  | { not: Value<V> | null }
  | { gt?: Value<V>; gte?: Value<V>; lt?: Value<V>; lte?: Value<V> };

/** Conditions on an entity's fields, all of which a row must meet. */
export type Where<N extends EntityName> = { [F in FieldOf<N>]?: Condition<EntityRecord<N>[F]> };

const BOUNDS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A field compared as text: strings, uuids and dates (date-times are stored in UTC ISO form, so text order is time order). */
function textual(field: FieldSql): boolean {
  return field.inDocument && field.kind !== 'number' && field.kind !== 'boolean';
}

/** The SQL type a field is compared in: text for what the document holds as text, else the field's own type. */
function comparedAs(field: FieldSql): string {
  return textual(field) ? 'text' : SQL_CAST[field.kind];
}

function operand(field: FieldSql, value: unknown, params: SqlParams): string {
  const given = field.kind === 'uuid' && typeof value === 'string' ? value.toLowerCase() : value;
  if (textual(field)) return params.add(String(given));
  // A number goes as its text, so no binary float stands between the value and numeric.
  return `${params.add(field.kind === 'number' ? String(given) : given)}::${comparedAs(field)}`;
}

function typed(field: FieldSql): string {
  return textual(field) || !field.inDocument ? field.text : `(${field.text})::${comparedAs(field)}`;
}

function compileCondition(field: FieldSql, condition: unknown, params: SqlParams): string {
  const expr = typed(field);
  if (condition === null) return `${expr} IS NULL`;
  if (typeof condition !== 'object') {
    if (field.kind === 'boolean') return `${expr} IS ${condition ? 'TRUE' : 'FALSE'}`;
    return `${expr} = ${operand(field, condition, params)}`;
  }
  if ('in' in condition) {
    const values = (condition.in as unknown[]).map((v) => (field.kind === 'uuid' && typeof v === 'string' ? v.toLowerCase() : v));
    return `${expr} = ANY(${params.add(textual(field) ? values.map(String) : values)}::${comparedAs(field)}[])`;
  }
  if ('not' in condition) {
    const not = condition.not;
    if (not === null) return `${expr} IS NOT NULL`;
    if (field.kind === 'boolean') return `${expr} IS NOT ${not ? 'TRUE' : 'FALSE'}`;
    return `${expr} IS DISTINCT FROM ${operand(field, not, params)}`;
  }
  const parts = Object.entries(BOUNDS)
    .filter(([bound]) => (condition as Record<string, unknown>)[bound] !== undefined)
    .map(([bound, op]) => `${expr} ${op} ${operand(field, (condition as Record<string, unknown>)[bound], params)}`);
  if (parts.length === 0) throw new Error('a condition needs a value, in, not or a bound');
  return parts.join(' AND ');
}

/** The SQL of a Where, over the fields' expressions; 'true' when it has no conditions. */
export function compileWhere<N extends EntityName>(where: Where<N>, fields: FieldExpressions<N>, params: SqlParams): string {
  const parts = Object.entries(where)
    .filter(([, condition]) => condition !== undefined)
    .map(([name, condition]) => compileCondition(fields.sql(name as FieldOf<N>), condition, params));
  return parts.length === 0 ? 'true' : parts.map((part) => `(${part})`).join(' AND ');
}
