import { nestedField } from './api-error.ts';
import { errors } from './errors.ts';
import { inexactness } from './exact-numbers.ts';
import type { JsonSchema } from '../entity/schemas.ts';
import { admitsNull, typesOf } from './schema-types.ts';

/**
 * Hydrogen's server was a Spring Boot application, and the clients generated from its
 * specification lean on how Spring's JSON mapper reads a request: null stands for a field not
 * set, unknown fields are skipped, scalars written as text are read as the type declared, and
 * dates come as timestamps and timestamps without an offset. Every API reads its input through
 * this one function, guided by the schema it validates against, before that validation runs;
 * what it cannot read that way is left as sent, for validation to refuse with the field named.
 * docs/compatibility.md lists each leniency and why.
 */

export interface LeniencyOptions {
  /** Refuse unknown body fields (STRICT_REQUEST_FIELDS) instead of ignoring them. */
  strictFields: boolean;
}

/** What reading one input found that a client may want to know. */
export interface InputReading {
  /** Fields sent that the schema does not know, as error bodies name fields; they were dropped. */
  ignored: string[];
}

/** Marks an array of strings that a client may also send as one comma-separated string, as Hydrogen's docs do. */
export const COMMA_SEPARATED = 'x-comma-separated';

const TIME_OF_DAY = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::(?:[0-5]\\d|60)(?:\\.\\d+)?)?';
const OFFSET = '(?:[Zz]|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)';
const DATE_TIME_WITHOUT_OFFSET = new RegExp(`^\\d{4}-\\d{2}-\\d{2}[Tt ]${TIME_OF_DAY}$`);
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date followed by a valid time of day, with or without an offset: its calendar date is its first ten characters. */
const DATE_WITH_TIME = new RegExp(`^(\\d{4}-\\d{2}-\\d{2})[Tt ]${TIME_OF_DAY}${OFFSET}?$`);
/** A decimal number as JSON writes one; what Jackson reads from a string for a numeric field. */
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BOOLEAN_TEXT = /^(?:true|false)$/i;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function accepts(schema: JsonSchema, kind: string): boolean {
  const types = typesOf(schema);
  if (types.length === 0) return kind === 'object' ? Boolean(schema.properties) : false;
  return types.includes(kind) || (kind === 'number' && types.includes('integer'));
}

/** The branch of a union a value is read by: the first of its own JSON type, else the first it could be read as. */
function branchFor(branches: JsonSchema[], value: unknown): JsonSchema | undefined {
  const kind = kindOf(value);
  const exact = branches.find((branch) => accepts(branch, kind));
  if (exact || kind !== 'string') return exact;
  return branches.find((branch) => ['number', 'boolean'].some((other) => accepts(branch, other)));
}

function readString(schema: JsonSchema, value: string, field: string): unknown {
  if (schema.format === 'date') return DATE_WITH_TIME.exec(value)?.[1] ?? value;
  if (schema.format === 'date-time') {
    if (BARE_DATE.test(value)) return `${value}T00:00:00Z`;
    if (DATE_TIME_WITHOUT_OFFSET.test(value)) return `${value}${value.length === 16 ? ':00' : ''}Z`;
    return value;
  }
  if (Array.isArray(schema.enum)) {
    if (schema.enum.includes(value)) return value;
    const matches = schema.enum.filter((option) => typeof option === 'string' && option.toLowerCase() === value.toLowerCase());
    return matches.length === 1 ? matches[0] : value;
  }
  const types = typesOf(schema);
  if ((types.includes('number') || types.includes('integer')) && !types.includes('string') && NUMBER_TEXT.test(value)) {
    const problem = inexactness(value);
    if (problem) throw errors.invalidField({ field, problem });
    return Number(value);
  }
  if (types.includes('boolean') && !types.includes('string') && BOOLEAN_TEXT.test(value)) return value.toLowerCase() === 'true';
  if (types.includes('array') && schema[COMMA_SEPARATED] === true) {
    return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  }
  return value;
}

function readObject(schema: JsonSchema, value: Record<string, unknown>, field: string, options: LeniencyOptions, reading: InputReading): void {
  const properties = schema.properties ?? {};
  const extra = schema.additionalProperties;
  const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, JsonSchema>).map(
    ([pattern, property]) => [new RegExp(pattern, 'u'), property] as const,
  );
  for (const key of Object.keys(value)) {
    const at = nestedField(field, key);
    const property = Object.hasOwn(properties, key)
      ? properties[key]
      : (patterns.find(([pattern]) => pattern.test(key))?.[1] ?? (typeof extra === 'object' && extra !== null ? (extra as JsonSchema) : undefined));
    if (property) {
      // A required field sent as null is then missing, and refused as missing.
      if (value[key] === null && !admitsNull(property)) delete value[key];
      else value[key] = read(property, value[key], at, options, reading);
    } else if (extra === false && !options.strictFields) {
      delete value[key];
      reading.ignored.push(at);
    }
  }
}

function read(schema: JsonSchema, value: unknown, field: string, options: LeniencyOptions, reading: InputReading): unknown {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    const branch = branchFor(branches, value);
    return branch ? read(branch, value, field, options, reading) : value;
  }
  if (typeof value === 'string') return readString(schema, value, field);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items && typeof items === 'object') return value.map((item, index) => read(items, item, `${field}[${index}]`, options, reading));
    return value;
  }
  if (value !== null && typeof value === 'object') readObject(schema, value as Record<string, unknown>, field, options, reading);
  return value;
}

/**
 * Reads an input (a body, a query string) as Hydrogen's server did, changing it in place where
 * it can and returning the value to validate, which for a bare value may be a new one.
 */
export function readLeniently(schema: JsonSchema, value: unknown, options: LeniencyOptions, reading: InputReading): unknown {
  return read(schema, value, '', options, reading);
}
