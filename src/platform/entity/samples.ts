import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityDeclaration } from './declaration.ts';
import type { JsonSchema } from './schemas.ts';

/**
 * Minimal valid bodies for any declared entity: the required fields only, each with a value
 * its schema accepts. Conformance runs and generic tests use these, so every new
 * declaration is exercised without writing per-entity fixtures.
 */
export function sampleValue(schema: JsonSchema): unknown {
  if (schema.enum) return (schema.enum as unknown[])[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.anyOf)) return sampleValue((schema.anyOf as JsonSchema[])[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'number':
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
      return Math.min(Math.max(min, 1), max);
    }
    case 'boolean':
      return true;
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => sampleValue(schema.items ?? { type: 'string' }));
    }
    case 'object':
      return sampleObject(schema);
    default:
      return 'sample';
  }
}

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'date-time':
      return '2026-01-15T10:00:00.000Z';
    case 'date':
      return '2026-01-15';
    case 'email':
      return `sample-${randomBytes(4).toString('hex')}@example.com`;
    case 'uri':
      return 'https://example.com/sample';
    default:
      break;
  }
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : '';
  if (pattern.includes('{3}')) return 'USD';
  if (pattern.includes('{2}')) return 'US';
  const value = `sample-${randomBytes(4).toString('hex')}`;
  return typeof schema.maxLength === 'number' ? value.slice(0, schema.maxLength) : value;
}

function sampleObject(schema: JsonSchema): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const property = schema.properties?.[name];
    if (property) body[name] = sampleValue(property);
  }
  return body;
}

/** The entities a declaration needs to exist first, through its required references. */
export function requiredReferences(declaration: EntityDeclaration, create: JsonSchema): [string, string][] {
  const required = new Set(create.required ?? []);
  return Object.entries(declaration.references ?? {}).filter(([path]) => !path.includes('[]') && required.has(path));
}

/** A create body for the entity, pointing at the given ids of the entities it requires. */
export function sampleBody(declaration: EntityDeclaration, create: JsonSchema, ids: Record<string, string>): Record<string, unknown> {
  const body = sampleObject({ ...create, properties: create.properties, required: create.required });
  for (const [path, target] of requiredReferences(declaration, create)) {
    const id = ids[target];
    if (!id) throw new Error(`sample ${declaration.name} needs an id of ${target}`);
    body[path] = id;
  }
  return body;
}

/** Orders declarations so each comes after the entities its required references point at. */
export function creationOrder<T extends { declaration: EntityDeclaration; schemas: { create: JsonSchema } }>(stores: T[]): T[] {
  const byName = new Map(stores.map((s) => [s.declaration.name, s]));
  const ordered: T[] = [];
  const visiting = new Set<string>();
  const visit = (store: T): void => {
    if (ordered.includes(store)) return;
    if (visiting.has(store.declaration.name)) throw new Error(`required references form a cycle at ${store.declaration.name}`);
    visiting.add(store.declaration.name);
    for (const [, target] of requiredReferences(store.declaration, store.schemas.create)) {
      const dependency = byName.get(target);
      if (dependency) visit(dependency);
    }
    visiting.delete(store.declaration.name);
    ordered.push(store);
  };
  stores.forEach(visit);
  return ordered;
}
