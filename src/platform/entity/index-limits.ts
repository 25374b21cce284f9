import type { EntityDeclaration } from './declaration.ts';
import type { EntitySchemas, JsonSchema } from './schemas.ts';

/** What one B-tree entry may take, kept under PostgreSQL's limit of a third of a page (2704 bytes). */
const INDEX_ENTRY_BYTES = 2400;
/** What a field of bounded size (a uuid, a date, a number, as text) is allowed of it. */
const BOUNDED_FIELD_BYTES = 64;
/** UTF-8 spends up to four bytes on a character. */
const MAX_CHARACTER_BYTES = 4;

/** Formats whose values are short by their definition; an email or a URI can be of any length. */
const BOUNDED_FORMATS = new Set(['uuid', 'date', 'date-time']);

function isFreeText(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).some(isFreeText);
  return schema.type === 'string' && !BOUNDED_FORMATS.has(schema.format as string) && schema.enum === undefined && schema.const === undefined;
}

function capped(schema: JsonSchema, maxLength: number): JsonSchema {
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: (schema.anyOf as JsonSchema[]).map((branch) => capped(branch, maxLength)) };
  if (!isFreeText(schema)) return schema;
  const current = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  return { ...schema, maxLength: Math.min(current, maxLength) };
}

/**
 * The longest text each field in a unique key or an index of the declaration may hold, so
 * that any entry of the index fits a B-tree page whatever the characters: a value past it
 * would otherwise fail in the database instead of being refused as a 400 naming the field.
 */
function indexedTextLimits(declaration: EntityDeclaration, create: JsonSchema): Map<string, number> {
  const limits = new Map<string, number>();
  for (const fields of [...(declaration.unique ?? []), ...(declaration.indexes ?? [])]) {
    const texts = fields.filter((field) => isFreeText(create.properties?.[field]));
    if (texts.length === 0) continue;
    const budget = INDEX_ENTRY_BYTES - BOUNDED_FIELD_BYTES * (fields.length - texts.length);
    const limit = Math.floor(budget / MAX_CHARACTER_BYTES / texts.length);
    for (const field of texts) limits.set(field, Math.min(limits.get(field) ?? limit, limit));
  }
  return limits;
}

/** The entity's schemas with those limits set where a field has none as low. */
export function withIndexedTextLimits(declaration: EntityDeclaration, schemas: EntitySchemas): EntitySchemas {
  const limits = indexedTextLimits(declaration, schemas.create);
  if (limits.size === 0) return schemas;
  const apply = (schema: JsonSchema): JsonSchema => {
    const properties = { ...schema.properties };
    for (const [field, limit] of limits) if (properties[field]) properties[field] = capped(properties[field], limit);
    return { ...schema, properties };
  };
  return { create: apply(schemas.create), update: apply(schemas.update), record: apply(schemas.record) };
}
