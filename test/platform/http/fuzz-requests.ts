import fc from 'fast-check';
import {
  encodeQueryValue,
  nastyFilter,
  nastyNumber,
  nastyOrderBy,
  nastyPaging,
  nastyPathSegment,
  nastyText,
  nastyValue,
  percentEncode,
  toJson,
  unknownKey,
} from './fuzz-values.ts';

type Schema = { [keyword: string]: any };

interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** The error codes the document lists for the operation, by status. */
  errors: Record<string, string[]>;
}

export interface FuzzRequest {
  method: string;
  /** The path and query string, as sent. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzContext {
  adminToken: string;
  adminBasic: string;
  /** Ids for path parameters and uuid fields: of records made earlier in the run, or of nothing. */
  ids: fc.Arbitrary<string>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** By status, the codes an operation's responses list for it (error-responses.ts writes them as an enum). */
function documentedErrors(operation: any): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
    const codes = response?.content?.['application/json']?.schema?.properties?.code?.enum;
    if (Array.isArray(codes)) found[status] = codes;
  }
  return found;
}

export function operationsOf(document: any): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
        errors: documentedErrors(operation),
      });
    }
  }
  return operations;
}

const LIMIT = 2 ** 31 - 1;
const clamp = (value: number): number => Math.max(-LIMIT, Math.min(LIMIT, value));

/** Integers within the schema's bounds, or a range around zero where it has none. */
function boundedIntegers(schema: Schema, scale: number): fc.Arbitrary<number> {
  let min = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 / scale : undefined);
  let max = schema.maximum ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 / scale : undefined);
  min ??= max !== undefined ? max - 1_000_000 : -1_000_000;
  max ??= min + 2_000_000;
  return fc.integer({ min: clamp(Math.ceil(min * scale)), max: clamp(Math.floor(max * scale)) });
}

const SOME_DATE = fc.date({ min: new Date('1950-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });

function textOf(schema: Schema, context: FuzzContext): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return context.ids;
    case 'date':
      return SOME_DATE.map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return SOME_DATE.map((date) => date.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
  }
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 24, 24)) });
}

function ofType(type: string, schema: Schema, context: FuzzContext, mutate: boolean): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return textOf(schema, context);
    case 'integer':
      return boundedIntegers(schema, 1);
    case 'number':
      // Hundredths: a valid request should not be refused for carrying more digits than a double keeps.
      return boundedIntegers(schema, 100).map((hundredths) => hundredths / 100);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? valueOf(schema.items, context, mutate) : nastyValue;
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      return schema.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: toJson }) : fc.array(items, { minLength, maxLength });
    }
    default:
      return objectOf(schema, context, mutate);
  }
}

function objectOf(schema: Schema, context: FuzzContext, mutate: boolean): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const names = Object.keys(properties);
  let known: fc.Arbitrary<Record<string, unknown>>;
  if (names.length > 0) {
    const model = Object.fromEntries(names.map((name) => [name, valueOf(properties[name], context, mutate)]));
    known = fc.record(model, { requiredKeys: (schema.required ?? []).filter((name: string) => names.includes(name)) });
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    known = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), valueOf(schema.additionalProperties, context, mutate), { maxKeys: 3 });
  } else {
    known = fc.constant({});
  }
  if (!mutate) return known;
  const unknown = fc.option(fc.dictionary(unknownKey, nastyValue, { maxKeys: 2 }), { freq: 4, nil: {} });
  return fc.tuple(known, unknown).map(([record, extra]) => ({ ...record, ...extra }));
}

function validOf(schema: Schema, context: FuzzContext, mutate: boolean): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) return fc.oneof(...branches.map((branch: Schema) => valueOf(branch, context, mutate)));
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (types.length === 0) return nastyValue;
  return fc.oneof(...types.map((type) => ofType(type, schema, context, mutate)));
}

/** A value of the schema; when mutating, any part of it may instead be a value of the wrong type or an extreme one. */
function valueOf(schema: Schema, context: FuzzContext, mutate: boolean): fc.Arbitrary<unknown> {
  const valid = validOf(schema, context, mutate);
  return mutate ? fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: nastyValue, weight: 1 }) : valid;
}

const NOT_JSON = ['not json', '{', '{"a":1,}', '[1,]', ' ', 'nul', '"\\ud800"', '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\u0000"}'];

const wholeBodyNasty: fc.Arbitrary<string> = fc.oneof(nastyValue.map(toJson), fc.constantFrom(...NOT_JSON));

function bodyFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string | undefined> {
  if (!operation.body) {
    return fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('{}', ''), weight: 1 }, { arbitrary: wholeBodyNasty, weight: 1 });
  }
  return fc.oneof(
    { arbitrary: valueOf(operation.body, context, false).map(toJson), weight: 2 },
    { arbitrary: validOf(operation.body, context, true).map(toJson), weight: 6 },
    { arbitrary: wholeBodyNasty, weight: 1 },
  );
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/merge-patch+json',
  '',
];

const contentType: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 });

/** A value a query parameter is expected to carry, before encoding. */
function plainQueryValue(parameter: Parameter, context: FuzzContext): fc.Arbitrary<string> {
  return validOf(parameter.schema ?? {}, context, false).map((value) => (Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : toJson(value)));
}

function nastyQueryValue(name: string): fc.Arbitrary<string> {
  if (name === 'filter') return nastyFilter;
  if (name === 'order_by') return nastyOrderBy;
  if (name === 'page' || name === 'size') return nastyPaging;
  return fc.oneof(nastyText, nastyNumber.map(toJson));
}

function queryFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (operation.path.startsWith('/authorization/')) {
    for (const name of ['grant_type', 'username', 'password', 'scope']) parameters.push({ name, in: 'query', schema: { type: 'string' } });
  }
  const pairs = parameters.map((parameter) => {
    const value = fc.oneof({ arbitrary: plainQueryValue(parameter, context), weight: 3 }, { arbitrary: nastyQueryValue(parameter.name), weight: 2 });
    const pair = value.chain(encodeQueryValue).map((encoded) => `${percentEncode(parameter.name)}=${encoded}`);
    // Sometimes twice, which a query parser reads as an array.
    return fc.option(fc.oneof({ arbitrary: pair, weight: 5 }, { arbitrary: fc.tuple(pair, pair).map((twice) => twice.join('&')), weight: 1 }), { freq: 3 });
  });
  const unknown = fc.option(fc.tuple(unknownKey, nastyText).map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`), { freq: 5 });
  return fc.tuple(fc.tuple(...pairs), unknown).map(([given, extra]) => {
    const all = [...given, extra].filter((pair): pair is string => pair !== null);
    return all.length > 0 ? `?${all.join('&')}` : '';
  });
}

function pathFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const segment = fc.oneof({ arbitrary: context.ids, weight: 3 }, { arbitrary: nastyPathSegment, weight: 2 });
  return fc.tuple(...names.map(() => segment)).map((segments) => {
    let path = operation.path;
    names.forEach((name, index) => (path = path.replace(`{${name}}`, segments[index])));
    return path;
  });
}

function authorizationFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string | undefined> {
  // Never a wrong secret for the admin credential: its failed logins would lock it for the rest of the run.
  const broken = ['Bearer x', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', 'Basic %%%', 'Basic ', `Bearer ${'a'.repeat(5_000)}`, `Bearer ${context.adminToken}x`, `bearer  ${context.adminToken}`];
  const usual = operation.path.startsWith('/authorization/') ? context.adminBasic : `Bearer ${context.adminToken}`;
  return fc.oneof(
    { arbitrary: fc.constant(usual), weight: 10 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constantFrom(...broken), weight: 1 },
  );
}

/** Requests for one operation: mostly of the shape its schema describes, with any part of them possibly wrong. */
export function requestsFor(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const clientToken = operation.path.endsWith('/client-token')
    ? fc.option(fc.constantFrom('Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Basic x', 'Bearer ' + 'a'.repeat(3_000)), { freq: 4 })
    : fc.constant(null);
  return fc
    .record({
      path: pathFor(operation, context),
      query: queryFor(operation, context),
      body: bodyFor(operation, context),
      contentType,
      authorization: authorizationFor(operation, context),
      clientToken,
    })
    .map(({ path, query, body, contentType, authorization, clientToken }) => {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      if (clientToken !== null) headers['client-token'] = clientToken;
      if (body !== undefined && contentType !== '') headers['content-type'] = contentType;
      return { method: operation.method, target: path + query, headers, body };
    });
}
