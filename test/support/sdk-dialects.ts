import http from 'node:http';
import type { HttpResult, RequestOptions } from './server.ts';
import { pathShape, type LoadedSpec, type SwaggerSchema } from '../../conformance/spec.ts';

/**
 * How Hydrogen's generated clients speak HTTP, emulated at the wire so tests meet the server
 * as those clients do: swagger-codegen's JavaScript client (superagent) and its Python client
 * (urllib3). Each is a transport (headers, bodies, query strings as the client writes them)
 * and the way the client turns a record it read back into the body it sends.
 */
export interface SdkDialect {
  name: string;
  send(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
  /** The body a program's model object becomes when the client sends it. */
  modelBody(method: string, path: string, body: Record<string, unknown>): Record<string, unknown>;
  /** What the client PUTs back after reading a record into its model and changing nothing else. */
  roundTrip(method: string, path: string, record: Record<string, unknown>): Record<string, unknown>;
}

export interface DialectTarget {
  url: string;
  /** The bearer token to send; null sends none. */
  token: () => Promise<string | null>;
  specs: LoadedSpec[];
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, change)]));
  }
  return value;
}

/** A field of `format: date` or `date-time` read into a JavaScript Date, then written by JSON.stringify. */
function javascriptDates(value: unknown): unknown {
  return mapStrings(value, (text) => (BARE_DATE.test(text) || DATE_TIME.test(text) ? new Date(BARE_DATE.test(text) ? `${text}T00:00:00Z` : text).toISOString() : text));
}

/** A program's own `datetime(2026, 1, 15, 10, 0)`: Python's isoformat() of a naive date-time, no offset. */
function pythonNaiveDateTimes(value: unknown): unknown {
  return mapStrings(value, (text) => (DATE_TIME.test(text) ? new Date(text).toISOString().slice(0, 19) : text));
}

/** A date-time the client parsed (aware, UTC) and wrote back with isoformat(): "+00:00", microseconds only when not zero. */
function pythonAwareDateTimes(value: unknown): unknown {
  return mapStrings(value, (text) => {
    if (!DATE_TIME.test(text)) return text;
    const iso = new Date(text).toISOString();
    const millis = iso.slice(20, 23);
    return `${iso.slice(0, 19)}${millis === '000' ? '' : `.${millis}000`}+00:00`;
  });
}

/** The newer JavaScript client's models also carry camelCase copies of their properties (clientType). */
function camelCaseCopies(record: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...record };
  for (const [key, value] of Object.entries(record)) {
    if (key.includes('_') && typeof value === 'string') copy[key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value;
  }
  return copy;
}

/** The attributes of the model a request body is made from: the specification's body definition. */
function modelAttributes(specs: LoadedSpec[], method: string, path: string): string[] {
  const bare = path.split('?')[0];
  for (const spec of specs) {
    for (const op of spec.operations) {
      if (op.method !== method) continue;
      const pattern = new RegExp(`^${pathShape(op.path).replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\}/g, '[^/]+')}$`);
      if (!pattern.test(bare)) continue;
      const body = op.parameters.find((p) => p.in === 'body');
      const definition = spec.deref(body?.schema as SwaggerSchema | undefined);
      return Object.keys((definition?.properties ?? {}) as Record<string, unknown>);
    }
  }
  return [];
}

/** swagger-codegen's Python models serialise every attribute; the ones a program did not set go as null. */
function withNulls(attributes: string[], body: Record<string, unknown>): Record<string, unknown> {
  const full: Record<string, unknown> = Object.fromEntries(attributes.map((name) => [name, null]));
  return { ...full, ...body };
}

function rawRequest(target: DialectTarget, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${target.url}${path}`, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        const json = (response.headers['content-type'] ?? '').includes('json') && text !== '';
        resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body: json ? JSON.parse(text) : text });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function baseHeaders(target: DialectTarget, options: RequestOptions, userAgent: string): Promise<Record<string, string>> {
  const token = options.token === undefined ? await target.token() : options.token;
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': userAgent,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  };
}

/** swagger-codegen JavaScript (superagent): JSON headers on every request, bodiless GET and DELETE, Date objects for dates. */
export function javascriptClient(target: DialectTarget): SdkDialect {
  return {
    name: 'swagger-codegen JavaScript',
    async send(method, path, options = {}) {
      const headers = await baseHeaders(target, options, 'superagent/3.8.3');
      const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(javascriptDates(options.body)));
      return rawRequest(target, method, path, headers, body);
    },
    modelBody: (_method, _path, body) => javascriptDates(body) as Record<string, unknown>,
    roundTrip: (_method, _path, record) => camelCaseCopies(javascriptDates(record) as Record<string, unknown>),
  };
}

/** swagger-codegen Python (urllib3): null for every unset attribute, True/False in query strings, `{}` as a DELETE's body. */
export function pythonClient(target: DialectTarget): SdkDialect {
  const pythonQuery = (path: string) => path.replace(/([?&][^=&]+=)(true|false)(?=&|$)/g, (_, key: string, value: string) => `${key}${value === 'true' ? 'True' : 'False'}`);
  const model = (method: string, path: string, body: Record<string, unknown>) => withNulls(modelAttributes(target.specs, method, path), body);
  return {
    name: 'swagger-codegen Python',
    async send(method, path, options = {}) {
      const headers = await baseHeaders(target, options, 'Swagger-Codegen/1.0.0/python');
      let body = options.rawBody;
      if (body === undefined && options.body !== undefined) {
        const value = options.body !== null && typeof options.body === 'object' && !Array.isArray(options.body) ? model(method, path, options.body as Record<string, unknown>) : options.body;
        body = JSON.stringify(value);
      }
      if (body === undefined && method === 'DELETE') body = '{}';
      return rawRequest(target, method, pythonQuery(path), headers, body);
    },
    modelBody: (method, path, body) => model(method, path, pythonNaiveDateTimes(body) as Record<string, unknown>),
    roundTrip: (method, path, record) => model(method, path, pythonAwareDateTimes(record) as Record<string, unknown>),
  };
}
