import { errors } from '../platform/http/errors.ts';
import { admitsNull } from '../platform/http/schema-types.ts';
import type { JsonSchema } from '../platform/entity/schemas.ts';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
};

function branches(schema: Schema): Schema[] {
  return [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
}

/** The schema of `key` in an object or array described by one of the branches of `schema`. */
function inner(schema: Schema | undefined, key: string | number): Schema | undefined {
  if (!schema) return undefined;
  for (const branch of branches(schema)) {
    if (typeof key === 'number' && branch.items) return branch.items;
    if (typeof key === 'string' && branch.properties?.[key]) return branch.properties[key];
    if (typeof key === 'string' && typeof branch.additionalProperties === 'object') return branch.additionalProperties;
  }
  return undefined;
}

/**
 * Makes an answer fit JSON, whose numbers are finite: a value no double holds (a ratio over a
 * denominator next to zero, a sum past 1.8e308) becomes null where the response schema lets it
 * say "no value", and refuses the request where it does not, rather than fail to serialize.
 */
export function finiteAnswer<T>(answer: T, schema: unknown): T {
  const visit = (value: unknown, at: Schema | undefined, path: string): unknown => {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      if (at && admitsNull(at as JsonSchema)) return null;
      throw errors.outOfRange({ reason: `The inputs give ${path || 'the answer'} a value beyond what a number holds; send figures of a more usual size` });
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const checked = visit(item, inner(at, index), `${path}[${index}]`);
        if (checked !== item) value[index] = checked;
      });
    } else if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const checked = visit(record[key], inner(at, key), path ? `${path}.${key}` : key);
        if (checked !== record[key]) record[key] = checked;
      }
    }
    return value;
  };
  return visit(answer, schema as Schema, '') as T;
}
