import type { JsonSchema } from '../entity/schemas.ts';

/** The JSON types a schema names for its value: its `type`, or the type of its `const`. */
export function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if ('const' in schema) return [schema.const === null ? 'null' : typeof schema.const];
  return [];
}

/** Whether a schema lets a value be null, itself or through one branch of its union. */
export function admitsNull(schema: JsonSchema): boolean {
  if (typesOf(schema).includes('null')) return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  return Array.isArray(branches) && branches.some(admitsNull);
}
