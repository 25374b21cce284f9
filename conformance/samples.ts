import { randomBytes, randomUUID } from 'node:crypto';
import type { LoadedSpec, SwaggerSchema } from './spec.ts';

/** Ids of live records by entity name, so generated requests point at things that exist. */
export type IdPool = Record<string, string>;

const MAX_DEPTH = 8;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * "client_id", "nucleus_client_id" → the id of a live client; "overflow_settings_id" falls back
 * to "overflow_setting". Spec examples for such fields are fixed UUIDs that exist nowhere, so a
 * live id is preferred over them.
 */
export function idFor(name: string, ids: IdPool): string | undefined {
  const entity = /^(?:nucleus_)?([a-z0-9_]+?)_id$/.exec(name)?.[1];
  if (!entity) return undefined;
  return ids[entity] ?? ids[entity.replace(/s$/, '')];
}

function idsFor(name: string, ids: IdPool): string[] | undefined {
  const id = /_ids$/.test(name) ? idFor(name.replace(/_ids$/, '_id'), ids) : undefined;
  return id ? [id] : undefined;
}

/**
 * A value the given Swagger schema accepts, for request bodies and parameters built from the
 * specification: the spec's own example or default when it is valid (Hydrogen's examples are
 * often of the wrong type, so each is checked), else the first enum value, else a value
 * derived from the type and bounds. Only required properties are filled in.
 */
export function sampleFromSchema(spec: LoadedSpec, schema: SwaggerSchema, name: string, ids: IdPool, depth = 0): unknown {
  const s = spec.deref(schema) ?? {};
  if (depth > MAX_DEPTH) return undefined;
  const type = typeof s.type === 'string' ? s.type : undefined;
  if (type === 'string' && (s.format === 'uuid' || s.format === undefined)) {
    const id = idFor(name, ids);
    if (id) return id;
  }
  if (type === 'array') {
    const list = idsFor(name, ids);
    if (list) return list;
  }
  for (const candidate of [s.example, s['x-example'], s.default]) {
    if (candidate !== undefined && spec.validate(schema, candidate).valid) return candidate;
  }
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((part) => sampleFromSchema(spec, part as SwaggerSchema, name, ids, depth + 1)));
  }
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return sampleNumber(s, type === 'integer');
    case 'boolean':
      return false;
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Math.max(min, 1);
      const count = Math.min(Math.max(min, 1), max);
      const items = isObject(s.items) ? (s.items as SwaggerSchema) : { type: 'string' };
      return Array.from({ length: count }, () => sampleFromSchema(spec, items, name.replace(/s$/, ''), ids, depth + 1));
    }
    default:
      return sampleObject(spec, s, ids, depth);
  }
}

function sampleObject(spec: LoadedSpec, s: SwaggerSchema, ids: IdPool, depth: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const properties = isObject(s.properties) ? (s.properties as Record<string, SwaggerSchema>) : {};
  for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
    if (!properties[name]) continue;
    const value = sampleFromSchema(spec, properties[name], name, ids, depth + 1);
    if (value !== undefined) body[name] = value;
  }
  // Electron's "nucleus_card_id" and the like name the record the request acts on; the spec
  // marks none required, but the request means nothing without it. Plain "client_id"s stay
  // optional: on a Proton calculator one changes what is calculated from.
  for (const name of Object.keys(properties)) {
    if (name in body || !name.startsWith('nucleus_')) continue;
    const id = idFor(name, ids);
    if (id && spec.validate(properties[name], id).valid) body[name] = id;
  }
  return body;
}

function sampleString(s: SwaggerSchema): string {
  switch (s.format) {
    case 'uuid':
      return randomUUID();
    case 'date':
      return '2026-01-15';
    case 'date-time':
      return '2026-01-15T10:00:00.000Z';
    case 'email':
      return `sample-${randomBytes(4).toString('hex')}@example.com`;
    case 'uri':
    case 'url':
      return 'https://example.com/sample';
    default:
      break;
  }
  let value = `sample-${randomBytes(4).toString('hex')}`;
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  if (value.length < minLength) value = value.padEnd(minLength, 'x');
  return typeof s.maxLength === 'number' ? value.slice(0, s.maxLength) : value;
}

function sampleNumber(s: SwaggerSchema, integer: boolean): number {
  const low = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : 0;
  const high = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : low + 100;
  // 1 suits most amounts, rates and counts; when the bounds exclude it, their midpoint does.
  let value = low <= 1 && 1 <= high ? 1 : (low + high) / 2;
  if (value === s.exclusiveMinimum || value === s.exclusiveMaximum) value = (low + high) / 2;
  return integer ? Math.ceil(value) : value;
}

/** A Swagger non-body parameter carries its schema keywords inline. */
export function parameterSchema(parameter: Record<string, unknown>): SwaggerSchema {
  const { name: _name, in: _in, required: _required, description: _description, allowEmptyValue: _allow, collectionFormat: _cf, ...schema } = parameter;
  return schema;
}
