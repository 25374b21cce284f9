import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldProblem } from './api-error.ts';

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

/**
 * Compiles a route's schema on its first request rather than at start: a server has hundreds
 * of routes and most processes (a test, a worker) call few of them, so compiling them all up
 * front made every start seconds slower. test/platform/http/schemas-compile.test.ts compiles
 * every route's schemas, so a schema ajv cannot compile still fails the build, not a request.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : paramAjv;
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown) => {
    compiled ??= ajv.compile(schema as object);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** "/address/0/city" becomes "address[0].city", the way a developer would write it. */
export function pointerToField(pointer: string): string {
  let field = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(key) ? `[${key}]` : field ? `.${key}` : key;
  }
  return field;
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

export function describeAjvError(error: ErrorObject, prefix = ''): FieldProblem {
  const base = join(prefix, pointerToField(error.instancePath));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(base, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: join(base, String(params.additionalProperty)), message: 'is not a known field' };
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
