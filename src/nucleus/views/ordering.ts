import type { JsonSchema } from '../../platform/entity/schemas.ts';
import { errors } from '../../platform/http/errors.ts';

/**
 * Orders records of one entity by one of their top-level fields, as order_by and ascending
 * ask; records without the field come last. An unknown field is refused.
 */
export function ordered<T extends { record: object }>(items: T[], schema: JsonSchema, orderBy: string, ascending: boolean): T[] {
  if (!schema.properties?.[orderBy]) throw errors.invalidField({ field: 'order_by', problem: `unknown field "${orderBy}"` });
  const direction = ascending ? 1 : -1;
  // The field is named at run time, so it is read as any record's.
  const valueOf = (item: T): unknown => (item.record as Record<string, unknown>)[orderBy];
  return [...items].sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    if (x === undefined || x === null) return y === undefined || y === null ? 0 : 1;
    if (y === undefined || y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction;
  });
}
