import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { FastifySchemaCompiler } from 'fastify';
import { ApiError, nestedField, type FieldProblem } from './api-error.ts';
import { errors } from './errors.ts';
import { readLeniently, type InputReading, type LeniencyOptions } from './lenient-input.ts';
import type { JsonSchema } from '../entity/schemas.ts';

// ajv-formats is CommonJS whose typings do not describe its callable export under NodeNext.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, ...options });
  addFormats(ajv);
  // Formats Hydrogen's definitions carry that only describe a number's width.
  for (const name of ['int32', 'int64', 'double', 'float']) ajv.addFormat(name, true);
  return ajv;
}

/** Bodies are checked strictly: a string is never silently read as a number. */
export const bodyAjv = createAjv({ coerceTypes: false, useDefaults: true, removeAdditional: false });
/** Query strings and paths only carry text, so their values are converted to the declared types. */
export const paramAjv = createAjv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false });

/** A compiled check of one input: reads it leniently, then validates it. */
export interface InputCheck {
  /** The input as validated (changed in place where it could be), or the problems found. */
  (data: unknown): { value: unknown; reading: InputReading } | { error: ApiError };
}

/** The fields a lenient read of a request body dropped, for the response to name. */
const ignoredByBody = new WeakMap<object, string[]>();

export function ignoredFieldsOf(body: unknown): string[] {
  return (body !== null && typeof body === 'object' && ignoredByBody.get(body)) || [];
}

/**
 * The one way every API checks its input (route bodies, query strings and paths, and each
 * item of a bulk request): bodies and query strings read as Hydrogen's server read them
 * (lenient-input.ts), then everything validated against its schema. Compiled on first use
 * rather than at start: a server has hundreds of routes and most processes (a test, a worker)
 * call few of them, so compiling them all up front made every start seconds slower. test/platform/http/schemas-compile.test.ts
 * compiles every route's schemas, so a schema ajv cannot compile still fails the build.
 */
export function compileInputCheck(schema: object, part: 'body' | 'querystring' | 'params' | 'headers', leniency: LeniencyOptions): InputCheck {
  const ajv = part === 'body' ? bodyAjv : paramAjv;
  const label = part === 'body' ? 'request body' : part;
  let compiled: ValidateFunction | undefined;
  return (data) => {
    compiled ??= ajv.compile(schema);
    const reading: InputReading = { ignored: [] };
    let value = data;
    // Path parameters are ids the clients write as text already; reading them costs every request.
    if (part === 'body' || part === 'querystring') {
      try {
        value = readLeniently(schema as JsonSchema, data, leniency, reading);
      } catch (error) {
        if (error instanceof ApiError) return { error };
        throw error;
      }
    }
    if (!compiled(value)) return { error: errors.invalidRequest({ part: label, problems: describeAjvErrors(compiled.errors ?? []) }) };
    return { value, reading };
  };
}

/** Fastify's validator compiler over compileInputCheck; a body's ignored fields are kept for ignoredFieldsOf. */
export function createValidatorCompiler(leniency: LeniencyOptions): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => {
    const check = compileInputCheck(schema as object, (httpPart ?? 'body') as 'body', leniency);
    return (data: unknown) => {
      const result = check(data);
      if ('error' in result) return { error: result.error };
      if (httpPart === 'body' && result.reading.ignored.length > 0 && result.value !== null && typeof result.value === 'object') {
        ignoredByBody.set(result.value, result.reading.ignored);
      }
      return { value: result.value };
    };
  };
}

/** "/address/0/city" becomes "address[0].city", the way a developer would write it. */
export function pointerToField(pointer: string): string {
  let field = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(key) ? `[${key}]` : field ? `.${key}` : key;
  }
  return field;
}

export function describeAjvError(error: ErrorObject, prefix = ''): FieldProblem {
  const base = nestedField(prefix, pointerToField(error.instancePath));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: nestedField(base, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: nestedField(base, String(params.additionalProperty)), message: 'is not a known field' };
    case 'enum':
      return {
        field: base,
        message: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    default:
      return { field: base, message: error.message ?? 'is invalid' };
  }
}

/** Keeps one problem per field, the most useful first, so a client sees each mistake once. */
export function describeAjvErrors(errors: ErrorObject[], prefix = ''): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const problem = describeAjvError(error, prefix);
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
