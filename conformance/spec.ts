import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

// ajv-formats is CommonJS whose typings do not describe its callable export under NodeNext.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

/** A Swagger 2.0 schema object, as it appears in the files (untrusted shape, read defensively). */
export type SwaggerSchema = Record<string, unknown>;

export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  schema?: SwaggerSchema;
  type?: string;
  [key: string]: unknown;
}

export interface SwaggerResponse {
  description?: string;
  schema?: SwaggerSchema;
}

export interface SwaggerDocument {
  swagger: string;
  info?: { title?: string; version?: string };
  basePath?: string;
  paths: Record<string, Record<string, unknown>>;
  definitions?: Record<string, SwaggerSchema>;
  parameters?: Record<string, SwaggerParameter>;
}

export interface SpecOperation {
  api: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path a client calls (basePath included), with Swagger's {param} placeholders. */
  path: string;
  /** The path exactly as written in the file. */
  specPath: string;
  operationId?: string;
  parameters: SwaggerParameter[];
  responses: Record<string, SwaggerResponse>;
}

export interface ValidationOutcome {
  valid: boolean;
  /** Readable errors, most useful first; empty when valid. */
  errors: string[];
}

/** The APIs the contract consists of, each one file in the specification directory. */
export const API_FILES = [
  { api: 'nucleus', file: 'nucleus.yaml' },
  { api: 'proton', file: 'proton.yaml' },
  { api: 'electron', file: 'electron.yaml' },
] as const;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** ../shared/specs beside the project root (CI's layout), unless SPECS_DIR says otherwise. */
export function defaultSpecsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPECS_DIR) return resolve(env.SPECS_DIR);
  const projectRoot = fileURLToPath(new URL('..', import.meta.url));
  return resolve(projectRoot, '..', 'shared', 'specs');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Definition names such as "Page«Client»" are legal in Swagger but awkward inside a JSON
 * pointer carried by a URI (ajv would have to percent-decode them); renaming them to plain
 * identifiers keeps reference resolution mechanical.
 */
function safeDefinitionNames(names: string[]): Map<string, string> {
  const map = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    let safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
    while (used.has(safe)) safe += '_';
    used.add(safe);
    map.set(name, safe);
  }
  return map;
}

// Keywords whose values are data, not subschemas: copied verbatim, never walked into.
const DATA_KEYWORDS = new Set(['enum', 'default', 'required', 'const', 'type', 'format']);
// Swagger 2 keywords with no JSON Schema meaning (documentation only).
const DROPPED_KEYWORDS = new Set(['example', 'discriminator', 'xml', 'externalDocs']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);

export interface ConversionContext {
  /** URI under which the converted definitions are registered with ajv. */
  definitionsUri: string;
  names: Map<string, string>;
}

/**
 * Swagger 2 schema → JSON Schema (draft-07), changing only what differs mechanically:
 * documentation keywords and vendor extensions go, `x-nullable: true` becomes a union with
 * null, `type: file` becomes unconstrained, and a `$ref` drops its siblings (Swagger ignores
 * them). Types, required fields, formats, enums and bounds are kept exactly.
 */
export function toJsonSchema(schema: unknown, context: ConversionContext, where = '#'): Record<string, unknown> {
  if (!isObject(schema)) throw new Error(`${where}: a schema must be an object`);
  if (typeof schema.$ref === 'string') return { $ref: convertRef(schema.$ref, context, where) };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [key === 'definitions' ? context.names.get(name) ?? name : name, toJsonSchema(sub, context, `${where}/${key}/${name}`)]),
      );
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub, i) => toJsonSchema(sub, context, `${where}/${key}/${i}`));
    } else if (SCHEMA_KEYWORDS.has(key) && isObject(value)) {
      out[key] = toJsonSchema(value, context, `${where}/${key}`);
    } else out[key] = value;
  }
  if (out.type === 'file') delete out.type;
  if (schema['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

function convertRef(ref: string, context: ConversionContext, where: string): string {
  const match = /^#\/definitions\/(.+)$/.exec(ref);
  if (!match) throw new Error(`${where}: unsupported $ref ${ref} (only #/definitions/… is used by Swagger 2 schemas)`);
  const safe = context.names.get(match[1]);
  if (!safe) throw new Error(`${where}: $ref to missing definition ${match[1]}`);
  return `${context.definitionsUri}#/definitions/${safe}`;
}

/**
 * Springfox renders Jackson's JsonNode, which holds any JSON value (Hydrogen's bulk endpoints
 * take an array of records through it), as a property-less `type: object`. Read literally it
 * would refuse every array; it is read as what it stands for. It appears only in request bodies.
 */
function anyJsonNode(definitions: Record<string, SwaggerSchema>): Record<string, SwaggerSchema> {
  const node = definitions.JsonNode;
  if (!node || node.properties !== undefined || node.type !== 'object') return definitions;
  return { ...definitions, JsonNode: { title: 'JsonNode', description: 'Any JSON value' } };
}

/** One specification file, its operations, and a validator for its schemas. */
export class LoadedSpec {
  readonly operations: SpecOperation[];
  readonly title: string;
  readonly version: string;
  readonly basePath: string;
  private readonly ajv: Ajv;
  private readonly context: ConversionContext;
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly definitions: Record<string, SwaggerSchema>;

  constructor(
    readonly api: string,
    readonly document: SwaggerDocument,
  ) {
    if (document.swagger !== '2.0') throw new Error(`${api}: not a Swagger 2.0 document`);
    this.title = document.info?.title ?? api;
    this.version = document.info?.version ?? '';
    this.basePath = document.basePath ?? '/';
    const definitions = anyJsonNode(document.definitions ?? {});
    this.definitions = definitions;
    this.context = {
      definitionsUri: `https://deuterium.invalid/conformance/${api}.json`,
      names: safeDefinitionNames(Object.keys(definitions)),
    };
    // strict keeps unknown keywords and formats loud, so a conversion gap cannot silently pass
    // a response; strictTypes is off because Swagger omits `type: object` next to `properties`.
    this.ajv = new Ajv({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema({ definitions }, this.context, '#'), this.context.definitionsUri);
    this.operations = enumerateOperations(api, document);
  }

  /** Follows a top-level #/definitions reference to the Swagger schema it names. */
  deref(schema: SwaggerSchema | undefined): SwaggerSchema | undefined {
    let current = schema;
    for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
      const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
      current = name ? this.definitions[name] : undefined;
    }
    return current;
  }

  /** The definition name a schema refers to, for messages ("Client", "Page«Client»"). */
  definitionName(schema: SwaggerSchema | undefined): string | undefined {
    return typeof schema?.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
  }

  compile(schema: SwaggerSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, this.context));
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  validate(schema: SwaggerSchema, value: unknown): ValidationOutcome {
    const validate = this.compile(schema);
    if (validate(value)) return { valid: true, errors: [] };
    return { valid: false, errors: (validate.errors ?? []).map(describeError) };
  }
}

/** "/content/0/id must match format "uuid"", with the offending keyword's parameters. */
export function describeError(error: ErrorObject): string {
  const at = error.instancePath || '(root)';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${at}: missing required property "${String(params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') return `${at}: unexpected property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'unevaluatedProperties') return `${at}: unexpected property "${String(params.unevaluatedProperty)}"`;
  if (error.keyword === 'enum') return `${at}: must be one of ${JSON.stringify(params.allowedValues)}`;
  return `${at}: ${error.message ?? error.keyword}`;
}

function resolveParameter(document: SwaggerDocument, parameter: unknown): SwaggerParameter {
  if (isObject(parameter) && typeof parameter.$ref === 'string') {
    const name = /^#\/parameters\/(.+)$/.exec(parameter.$ref)?.[1];
    const found = name ? document.parameters?.[name] : undefined;
    if (!found) throw new Error(`unresolvable parameter ${parameter.$ref}`);
    return found;
  }
  return parameter as SwaggerParameter;
}

/** Every method of every path; path-level parameters apply unless the operation overrides them. */
export function enumerateOperations(api: string, document: SwaggerDocument): SpecOperation[] {
  const prefix = (document.basePath ?? '/').replace(/\/+$/, '');
  const operations: SpecOperation[] = [];
  for (const [specPath, item] of Object.entries(document.paths ?? {})) {
    const shared = Array.isArray(item.parameters) ? item.parameters.map((p) => resolveParameter(document, p)) : [];
    for (const [method, raw] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method) || !isObject(raw)) continue;
      const own = Array.isArray(raw.parameters) ? raw.parameters.map((p) => resolveParameter(document, p)) : [];
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      operations.push({
        api,
        method: method.toUpperCase(),
        path: prefix + specPath,
        specPath,
        operationId: typeof raw.operationId === 'string' ? raw.operationId : undefined,
        parameters,
        responses: (isObject(raw.responses) ? raw.responses : {}) as Record<string, SwaggerResponse>,
      });
    }
  }
  return operations;
}

export function loadSpecFile(api: string, file: string): LoadedSpec {
  return new LoadedSpec(api, parse(readFileSync(file, 'utf8')) as SwaggerDocument);
}

export function loadSpecs(dir: string = defaultSpecsDir()): LoadedSpec[] {
  return API_FILES.map(({ api, file }) => loadSpecFile(api, join(dir, file)));
}

/** "/nucleus/v1/client/{client_id}" → "/nucleus/v1/client/:client_id", Fastify's route syntax. */
export function routePattern(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** The path with its parameter names erased, to match operations whatever a parameter is called. */
export function pathShape(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}
