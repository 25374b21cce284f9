import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describeError, pathShape, type ValidationOutcome } from './spec.ts';

// ajv-formats is CommonJS whose typings do not describe its callable export under NodeNext.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv2020) => Ajv2020;

/** An OpenAPI 3.1 schema object (JSON Schema 2020-12 with OpenAPI's annotations). */
type Schema = Record<string, unknown>;

/** The part of Deuterium's /openapi.json the judge reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OpenApiResponse {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

/** What Deuterium documents for one status of one operation. */
export type OwnResponse =
  | { found: false; reason: string }
  | { found: true; schema?: Schema };

// OpenAPI's annotations beside JSON Schema's own; they constrain nothing.
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];
// Where the components are registered with ajv; OpenAPI's #/components/schemas/X points into it.
const COMPONENTS_ID = 'deuterium:components';
const DECLARES_EXTRAS = ['additionalProperties', 'unevaluatedProperties', 'patternProperties'];
// Subschemas that each describe a whole value (so are closed); allOf, then and else add to
// their parent instead, and a closed schema inside `not` or `if` would turn its meaning round.
const VALUE_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const VALUE_ONE = ['items', 'additionalProperties', 'unevaluatedProperties', 'contains', 'propertyNames', 'unevaluatedItems'];
const PART_ONE = ['not', 'if', 'then', 'else'];

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deuterium's own response schemas, read from the running server's OpenAPI document, with
 * every object that lists its properties closed: a field the schema does not name is refused,
 * so a misspelled or undeclared field cannot pass (Fastify's serializer would drop it only
 * where the schema is closed already; elsewhere it reaches the client).
 *
 * The closing rule, in JSON Schema 2020-12 terms: a schema that stands for a whole value (the
 * response, a property's value, an array's items, a branch of anyOf or oneOf) and says nothing
 * itself about additionalProperties, unevaluatedProperties or patternProperties gets
 * `unevaluatedProperties: false` when it describes the properties of the objects it admits.
 * unevaluatedProperties, unlike additionalProperties, sees the properties its allOf branches,
 * its valid anyOf/oneOf branches and its $ref evaluate, so a composition is closed once, as a
 * whole: a branch of allOf is never closed on its own, nor is a component at its root (the
 * place that refers to it closes it), nor anything under `not`/`if`/`then`/`else`. A schema
 * that admits objects it says nothing about (`{}`, `{type: 'object'}`, an anyOf with such a
 * branch) stays open, as does one that declares its extra properties itself.
 */
export class OwnSchemas {
  private readonly ajv: Ajv2020;
  private readonly operations = new Map<string, Record<string, OpenApiResponse>>();
  private readonly components: Record<string, Schema>;
  private readonly compiled = new WeakMap<Schema, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    if (!/^3\.1\./.test(document.openapi)) throw new Error(`Deuterium's document is OpenAPI ${document.openapi}, not 3.1`);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) this.operations.set(`${method.toUpperCase()} ${pathShape(path)}`, operation.responses ?? {});
    }
    this.components = document.components?.schemas ?? {};
    // strict keeps an unknown keyword loud, so a schema the judge cannot read never passes a body.
    this.ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const keyword of OPENAPI_KEYWORDS) this.ajv.addKeyword(keyword);
    const closedComponents = Object.fromEntries(Object.entries(this.components).map(([name, schema]) => [name, this.close(schema, false)]));
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: closedComponents });
  }

  /** The documented response of `METHOD path` (any parameter names) for a status. */
  response(method: string, path: string, status: number): OwnResponse {
    const responses = this.operations.get(`${method} ${pathShape(path)}`);
    if (!responses) return { found: false, reason: `${method} ${path} is not in Deuterium's OpenAPI document` };
    const listed = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!listed) return { found: false, reason: `status ${status} is not among the responses Deuterium documents (${Object.keys(responses).join(', ')})` };
    const content = listed.content ?? {};
    const json = content['application/json'] ?? Object.entries(content).find(([type]) => /json/.test(type))?.[1];
    return { found: true, schema: json?.schema };
  }

  validate(schema: Schema, value: unknown): ValidationOutcome {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(this.close(schema, true) as Schema);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return { valid: true, errors: [] };
    return { valid: false, errors: (validate.errors ?? []).map(describeError) };
  }

  /** A copy of the schema with its whole-value objects closed (see the class comment). */
  private close(schema: unknown, wholeValue: boolean): unknown {
    if (!isObject(schema)) return schema;
    const out: Schema = {};
    // A branch of anyOf/oneOf is a whole value unless the parent adds properties of its own.
    const branchesWhole = schema.properties === undefined && schema.allOf === undefined && schema.$ref === undefined;
    for (const [key, value] of Object.entries(schema)) {
      // Vendor extensions document; ajv's strict mode would take them for unknown keywords.
      if (key.startsWith('x-')) continue;
      if (key === '$ref' && typeof value === 'string') out[key] = value.replace(/^#\/components\/schemas\//, `${COMPONENTS_ID}#/$defs/`);
      else if (VALUE_MAPS.includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, this.close(sub, true)]));
      else if (VALUE_ONE.includes(key)) out[key] = this.close(value, true);
      else if (PART_ONE.includes(key)) out[key] = this.close(value, false);
      else if (key === 'allOf' && Array.isArray(value)) out[key] = value.map((sub) => this.close(sub, false));
      else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) out[key] = value.map((sub) => this.close(sub, branchesWhole));
      else if (key === 'prefixItems' && Array.isArray(value)) out[key] = value.map((sub) => this.close(sub, true));
      else out[key] = value;
    }
    if (wholeValue && !DECLARES_EXTRAS.some((k) => k in schema) && !this.isOpen(schema, new Set())) out.unevaluatedProperties = false;
    return out;
  }

  /** Whether a schema admits objects with properties it says nothing about, without saying so. */
  private isOpen(schema: unknown, seen: Set<unknown>): boolean {
    if (schema === true) return true;
    if (!isObject(schema) || seen.has(schema)) return false;
    seen.add(schema);
    if (DECLARES_EXTRAS.some((k) => k in schema) || schema.properties !== undefined) return false;
    if (typeof schema.$ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      return name === undefined || this.isOpen(this.components[name], seen);
    }
    if (Array.isArray(schema.allOf)) return schema.allOf.every((sub) => this.isOpen(sub, seen));
    const alternatives = [schema.anyOf, schema.oneOf].filter(Array.isArray).flat();
    if (alternatives.length > 0) return alternatives.some((sub) => this.isOpen(sub, seen));
    if ('const' in schema || 'enum' in schema) return false;
    const types = schema.type === undefined ? ['object'] : [schema.type].flat();
    return types.includes('object');
  }
}
