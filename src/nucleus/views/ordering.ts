import type { JsonSchema } from '../../platform/entity/schemas.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import { errors } from '../../platform/http/errors.ts';

/**
 * Orders records of one entity by one of their top-level fields, as order_by and ascending
 * ask; records without the field come last. An unknown field is refused.
 */
export function ordered<T extends { record: StoredRecord }>(items: T[], schema: JsonSchema, orderBy: string, ascending: boolean): T[] {
  if (!schema.properties?.[orderBy]) throw errors.invalidField({ field: 'order_by', problem: `unknown field "${orderBy}"` });
  const direction = ascending ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = a.record[orderBy];
    const y = b.record[orderBy];
    if (x === undefined || x === null) return y === undefined || y === null ? 0 : 1;
    if (y === undefined || y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction;
  });
}
